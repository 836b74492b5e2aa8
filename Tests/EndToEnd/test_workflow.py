"""One full scenario per seed tenant through the public API, with every service a separate
process: submission, each approval by the step's approver (verified user token), the emails that
must arrive at the SMTP server, alerts and webhooks, and the final state."""
import email
import email.policy

import pytest

from conftest import wait_until
from scenarios import SCENARIOS, started


def messages(mail_dir):
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in sorted(mail_dir.glob("*.eml"))]


def mail_to(mail_dir, address, request_id):
    return [m for m in messages(mail_dir)
            if address.lower() in str(m["To"]).lower() and request_id in (m.get("X-Flexwork-Request-Id", "") + m.as_string())]


@pytest.mark.parametrize("tenant", sorted(SCENARIOS))
def test_full_scenario(system, tenants, tenant):
    api, key, scenario = system["api"], tenants[tenant], SCENARIOS[tenant]
    status, body, headers = api.call("POST", f"/v1/tenants/{tenant}/requests", scenario["request"], token=key,
                                     headers={"Idempotency-Key": f"e2e-{tenant}"})
    assert status == 202, body
    request_id = body["id"]
    assert headers["Location"].endswith(f"/v1/tenants/{tenant}/requests/{request_id}")

    def detail():
        return api.call("GET", f"/v1/tenants/{tenant}/requests/{request_id}", token=key)[1]

    approvers = []
    while True:
        current = wait_until(lambda: (lambda d: d if d["status"] in ("approved", "active") or any(s["status"] == "open" for s in d["chain"]) else None)(detail()),
                             what=f"{tenant}: next step open")
        if current["status"] in ("approved", "active"):
            break
        step = next(s for s in current["chain"] if s["status"] == "open")
        approver = step["approver_email"]
        approvers.append((step["role"], approver))
        # The approver is told, by email, with the request id.
        wait_until(lambda: mail_to(system["mail"], approver, request_id), what=f"{tenant}: email to {approver}")
        status, body, _ = api.call("POST", f"/v1/tenants/{tenant}/requests/{request_id}/decisions",
                                   {"step": step["index"], "decision": "approve"}, token=key, acting=approver,
                                   headers={"Idempotency-Key": f"e2e-{tenant}-{step['index']}"})
        assert status == 200, body

    final = detail()
    expected_status = "active" if started(tenant, scenario["request"]["start_date"]) else "approved"
    assert final["status"] == expected_status
    if scenario["roles"] is not None:
        assert [role for role, _ in approvers] == scenario["roles"]
    assert all(s["status"] == "approved" for s in final["chain"])
    # The employee hears the decision.
    wait_until(lambda: mail_to(system["mail"], scenario["request"]["employee"]["email"], request_id), what=f"{tenant}: decision email")
    # Alerts raised as the policy requires, and shown on the request.
    if scenario["alert_rules"]:
        alerts = wait_until(lambda: [a for a in api.call("GET", f"/v1/tenants/{tenant}/alerts", token=key)[1]["items"] if a.get("request_id") == request_id] or None,
                            what=f"{tenant}: alerts")
        assert sorted(a["rule_id"] for a in alerts) == scenario["alert_rules"]
    if scenario["webhook"]:
        delivered = wait_until(lambda: [h for h in system["hooks"] if request_id in h["body"].decode()] or None, what=f"{tenant}: webhook")
        hook = delivered[0]
        assert hook["headers"].get("X-Flexwork-Signature", "").startswith("sha256=")
    # Nobody received the same message twice.
    ids = [m["Message-ID"] for m in messages(system["mail"])]
    assert len(ids) == len(set(ids))
    # The audit chain of the tenant is intact.
    import subprocess
    verified = subprocess.run([str(system["bin"] / "fwactl"), "audit", "verify", tenant], env=system["env"], capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
