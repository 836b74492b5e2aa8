"""Issue 14, item 10, in fwactl: `tenant validate` and `tenant apply` refuse a tenant file whose
webhook is plain http or reaches an internal address (after resolving its host), naming the file,
the role's `webhook_url` and the rule, before `apply` touches the database; a malformed setting
stops fwactl naming the variable; the development settings let a loopback receiver through."""
import copy
import os
import subprocess

import yaml

from harness import ROOT, bin_dir

REFUSED = [
    ("http://hooks.example.edu/payroll", "plain http is refused"),
    ("https://127.0.0.1/hook", "loopback (127.0.0.0/8)"),
    ("https://169.254.169.254/latest/meta-data/", "cloud metadata service (169.254.169.254)"),
    ("https://10.0.0.1/hook", "private (RFC 1918, 10.0.0.0/8)"),
    ("https://[::1]/hook", "loopback (::1)"),
    ("https://localhost/hook", "localhost resolves to"),
]


def _tenant_file(tmp_path, url):
    policy = yaml.safe_load((ROOT / "deploy/tenants/mit.yaml").read_text())
    index = next(i for i, role in enumerate(policy["roles"]) if role["key"] == "payroll")
    policy = copy.deepcopy(policy)
    policy["roles"][index]["webhook_url"] = url
    path = tmp_path / "mit.yaml"
    path.write_text(yaml.safe_dump(policy, sort_keys=False))
    return path, index


def _fwactl(*args, **settings):
    env = {key: value for key, value in os.environ.items() if not key.startswith("FWA_WEBHOOK_")}
    # No database listens here: `apply` must refuse before it connects.
    env.update({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", **settings})
    return subprocess.run([str(bin_dir() / "fwactl"), *args], env=env, capture_output=True, text=True, timeout=120)


def test_fwactl_refuses_internal_webhooks(tmp_path):
    for url, rule in REFUSED:
        path, index = _tenant_file(tmp_path, url)
        for command in ("validate", "apply"):
            run = _fwactl("tenant", command, str(path))
            assert run.returncode == 1, (url, command, run.returncode, run.stdout, run.stderr)
            assert f"{path}: roles[{index}].webhook_url: role payroll: " in run.stderr and rule in run.stderr, (url, command, run.stderr)
            assert "applied" not in run.stdout


def test_fwactl_webhook_settings(tmp_path):
    path, _ = _tenant_file(tmp_path, "http://127.0.0.1:9/hooks")
    bad = _fwactl("tenant", "validate", str(path), FWA_WEBHOOK_ALLOW_PRIVATE="yes")
    assert bad.returncode == 2 and "FWA_WEBHOOK_ALLOW_PRIVATE" in bad.stderr, bad.stderr
    only_http = _fwactl("tenant", "validate", str(path), FWA_WEBHOOK_ALLOW_HTTP="1")
    assert only_http.returncode == 1 and "loopback" in only_http.stderr, only_http.stderr
    development = _fwactl("tenant", "validate", str(path), FWA_WEBHOOK_ALLOW_HTTP="1", FWA_WEBHOOK_ALLOW_PRIVATE="1")
    assert development.returncode == 0 and ": ok (tenant mit" in development.stdout, (development.stdout, development.stderr)
