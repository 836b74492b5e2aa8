"""The whole system as separate processes (see harness.py): a throwaway PostgreSQL, a real SMTP
server (aiosmtpd, through scripts/smtp-sink), a webhook receiver, and the four services built by
`swift build` (or taken from $FWA_BIN_DIR). Used by test_workflow.py; run by scripts/test."""
import pytest

from harness import ADMIN_TOKEN, API, System, free_port, jwt, wait_until  # noqa: F401 (re-exported for the tests)


@pytest.fixture(scope="session")
def system():
    running = System(label="e2e")
    yield {"api": running.api, "env": running.env, "bin": running.bin, "mail": running.mail_dir,
           "hooks": running.hooks.received, "hook_url": running.hooks.url, "work": running.work, "system": running}
    running.close()


@pytest.fixture(scope="session")
def tenants(system):
    """The five seed tenants, their webhooks pointed at the local receiver, applied through the
    API; an identity provider and an API key each."""
    return system["system"].apply_tenants()
