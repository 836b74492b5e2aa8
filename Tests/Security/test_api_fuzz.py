"""Fuzzes the intake's HTTP API from its OpenAPI document with schemathesis (examples, coverage,
fuzzing and stateful phases; valid and invalid data) against a local intake on a throwaway
PostgreSQL. Passes when no answer is a 5xx, every 4xx is `application/problem+json`, and every
answer matches the content type and schema the document gives for its status.

Knobs: FWA_FUZZ_EXAMPLES (examples per operation and phase, default 25), FWA_FUZZ_SEED (default 1).
The figures go to stdout and to $FWA_SECURITY_REPORT_DIR/api-fuzz.json (default: a temp dir)."""
import base64
import collections
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from local_intake import ADMIN_TOKEN, ROOT, LocalIntake, call, jwt  # noqa: E402

EXAMPLES = int(os.environ.get("FWA_FUZZ_EXAMPLES", "25"))
SEED = int(os.environ.get("FWA_FUZZ_SEED", "1"))
CHECKS = "not_a_server_error,content_type_conformance,response_schema_conformance"


def report_dir() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("FWA_SECURITY_REPORT_DIR") or tempfile.mkdtemp(prefix="fwa-security-"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def intake():
    work = pathlib.Path(tempfile.mkdtemp(prefix="fwa-fuzz-"))
    local = LocalIntake(f"sec-fuzz-{os.getpid()}", work)
    try:
        yield local
    finally:
        local.stop()


def schemathesis(intake, work, name, tenant, key, filters):
    """One schemathesis run; returns (exit status, the NDJSON events)."""
    config = work / f"{name}.toml"
    config.write_text(
        "[parameters]\n"
        f'"path.tenant" = "{tenant}"\n'
        f'"header.X-Acting-User" = "{jwt("bo@example.edu")}"\n'
        "[auth.openapi.adminToken]\n"
        f'bearer = "{ADMIN_TOKEN}"\n'
        "[auth.openapi.apiKey]\n"
        f'bearer = "{key}"\n')
    events = work / f"{name}.ndjson"
    command = [shutil.which("schemathesis") or "schemathesis", "--config-file", str(config), "run", str(ROOT / "Services/Intake/openapi.yaml"),
               "--url", intake.base, "--max-examples", str(EXAMPLES), "--seed", str(SEED), "--workers", "2", "--checks", CHECKS,
               "--request-timeout", "20", "--report", "ndjson", "--report-ndjson-path", str(events), *filters]
    run = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=1200)
    (work / f"{name}.out").write_text(run.stdout + run.stderr)
    return run.returncode, [json.loads(line) for line in events.read_text().splitlines() if line.strip()]


def tally(events):
    """Cases (requests answered), status classes, 5xx and 4xx answers that are not problem+json, check failures."""
    figures = collections.Counter()
    bad = []
    for event in events:
        if "NonFatalError" in event:
            # Schemathesis' own failures (not the API's): counted and shown, not held against the API.
            error = event["NonFatalError"]
            figures["tool_errors"] += 1
            print(f"schemathesis error in {error.get('phase')} phase of {error.get('label')}: {error['value'].get('type')}: {error['value'].get('message')}")
        finished = event.get("ScenarioFinished")
        if not finished or "recorder" not in finished:
            continue
        recorder = finished["recorder"]
        for case_id, interaction in (recorder.get("interactions") or {}).items():
            response = interaction.get("response")
            if response is None:
                figures["no_response"] += 1
                continue
            figures["cases"] += 1
            status = response["status_code"]
            figures[f"{status // 100}xx"] += 1
            content_type = (response.get("headers", {}).get("content-type") or [""])[0]
            if status >= 500:
                figures["5xx_answers"] += 1
                bad.append(f"{recorder['label']} -> {status}: {_body(response)}")
            elif status >= 400 and not content_type.startswith("application/problem+json"):
                figures["4xx_not_problem_json"] += 1
                bad.append(f"{recorder['label']} -> {status} {content_type}")
        for case_id, checks in (recorder.get("checks") or {}).items():
            for check in checks:
                if check.get("status") == "failure":
                    figures["check_failures"] += 1
                    bad.append(f"{recorder['label']}: {check['name']} failed ({case_id})")
    return figures, bad


def _body(response):
    content = response.get("content") or {}
    if "$base64" in content:
        return base64.b64decode(content["$base64"])[:200]
    return str(content)[:200]


def test_openapi_fuzz(intake):
    work = intake.work
    tenant_key = intake.tenant("sec-tenant")
    admin_key = intake.tenant("sec-operator")
    # Something to find: a request with an open step, so lists and lookups reach the database.
    status, body = call(intake.base, "POST", "/v1/tenants/sec-tenant/requests", {
        "employee": {"email": "ana@example.edu", "name": "Ana Lima", "department": "chemistry", "employee_class": "administrative", "exempt": True},
        "supervisor_email": "bo@example.edu", "arrangement_type": "hybrid", "remote_days_per_week": 2,
        "location": {"country": "US", "region": "MA"}, "start_date": "2030-09-02",
        "attestations": {"no_regular_dependent_care": True, "free_from_distractions": True}}, token=tenant_key)
    assert status == 202, body
    runs = {
        # Tenant operations, service endpoints and action links, with a working key and user token.
        "tenant-operations": schemathesis(intake, work, "tenant-operations", "sec-tenant", tenant_key, ["--exclude-tag", "tenants"]),
        # Operator operations on a tenant of their own (they may revoke its keys and change its identity).
        "operator-operations": schemathesis(intake, work, "operator-operations", "sec-operator", admin_key, ["--include-tag", "tenants"]),
    }
    total, problems, summary = collections.Counter(), [], {}
    for name, (code, events) in runs.items():
        figures, bad = tally(events)
        summary[name] = dict(figures, exit_status=code)
        total.update(figures)
        problems += [f"{name}: {line}" for line in bad]
        if code != 0 and not bad and not figures["tool_errors"]:
            problems.append(f"{name}: schemathesis exited {code}; see {work / (name + '.out')}")
    summary["total"] = dict(total)
    summary["examples_per_operation"], summary["seed"] = EXAMPLES, SEED
    intake_log = intake.log_path.read_text()
    summary["intake_log_errors"] = sum(1 for line in intake_log.splitlines() if '"level":"error"' in line or '"level":"critical"' in line)
    (report_dir() / "api-fuzz.json").write_text(json.dumps(summary, indent=2))
    print(f"\nschemathesis: {total['cases']} cases, {total['5xx']} 5xx, {total['4xx']} 4xx "
          f"({total['4xx_not_problem_json']} not problem+json), {total['2xx']} 2xx, {total['check_failures']} check failures, "
          f"{total['tool_errors']} schemathesis errors; "
          f"seed {SEED}, {EXAMPLES} examples per operation; details in {work}")
    assert total["cases"] > 0
    assert not problems, "\n".join(problems[:40])
    assert total["5xx"] == 0
    assert summary["intake_log_errors"] == 0, "the intake logged errors during fuzzing; see " + str(intake.log_path)
