"""The runbook's commands (docs/operations.md) against the running system: a job that fails for
good shows in `fwactl queue failed` and `queue show`, can be retried and cancelled; a queue can be
paused and resumed; the audit chain verifies."""
import json
import subprocess

from conftest import wait_until


def fwactl(system, *args, check=True):
    result = subprocess.run([str(system["bin"] / "fwactl"), *args], env=system["env"], capture_output=True, text=True, timeout=60)
    if check:
        assert result.returncode == 0, f"fwactl {' '.join(args)}: {result.stdout}{result.stderr}"
    return result


def psql(system, sql):
    return subprocess.run(["psql", "-qAtc", sql], env=system["env"], capture_output=True, text=True, check=True).stdout.strip()


def test_runbook_commands(system, tenants):
    # A job no handler knows becomes a dead letter on the notify queue.
    job = psql(system, "INSERT INTO fwa_jobs (queue, kind, tenant_id) VALUES ('notify', 'runbook.unknown', 'mit') RETURNING id")
    wait_until(lambda: job in fwactl(system, "queue", "failed", "--queue", "notify").stdout, what="the dead letter listed")
    shown = fwactl(system, "queue", "show", job).stdout
    assert "state:     failed" in shown and "runbook.unknown" in shown and "no handler" in shown
    assert "notify" in fwactl(system, "queue", "stats").stdout

    # Pause the queue: a retried job waits; resume: it runs (and fails again, being unknown).
    assert "paused notify" in fwactl(system, "queue", "pause", "notify").stdout
    assert "paused queues: notify" in fwactl(system, "queue", "stats").stdout
    assert "retrying 1 job(s)" in fwactl(system, "queue", "retry", job).stdout
    assert psql(system, f"SELECT state FROM fwa_jobs WHERE id = {job}") == "available"
    assert "resumed notify" in fwactl(system, "queue", "resume", "notify").stdout
    wait_until(lambda: psql(system, f"SELECT state FROM fwa_jobs WHERE id = {job}") == "failed", what="the retried job to run")

    # Cancel it for good; a second cancel changes nothing and says so with exit code 1.
    assert "cancelled 1 job(s)" in fwactl(system, "queue", "cancel", job).stdout
    assert fwactl(system, "queue", "cancel", job, check=False).returncode == 1
    assert psql(system, f"SELECT state FROM fwa_jobs WHERE id = {job}") == "cancelled"

    # Every tenant's audit chain is intact.
    for tenant in ["mit", "mines", "ma-doc", "rutgers", "univ-f400"]:
        assert "chain intact" in fwactl(system, "audit", "verify", tenant).stdout
