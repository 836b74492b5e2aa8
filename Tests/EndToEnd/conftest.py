"""The whole system as separate processes: a throwaway PostgreSQL, a real SMTP server
(aiosmtpd, through scripts/smtp-sink), a webhook receiver, and the four services built by
`swift build`. Used by test_workflow.py; run through scripts/test-e2e."""
import base64
import hashlib
import hmac
import http.server
import json
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "e2e-operator-token-0123456789"
IDP_SECRET = "e2e-idp-hs256-secret-0123456789abcdef"
ISSUER = "https://idp.e2e.example"
LINK_SECRET = "e2e-action-link-secret-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, timeout=30.0, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def jwt(sub: str) -> str:
    """An HS256 user token from the tenant's identity provider."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64(json.dumps({"sub": sub, "iss": ISSUER, "exp": int(time.time()) + 3600, "iat": int(time.time())}).encode())
    signature = hmac.new(IDP_SECRET.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{b64(signature)}"


class Webhooks(http.server.BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Webhooks.received.append({"headers": dict(self.headers), "body": body})
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class API:
    def __init__(self, base: str):
        self.base = base

    def call(self, method, path, body=None, token=None, acting=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        if acting:
            request.add_header("X-Acting-User", jwt(acting))
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else None), dict(response.headers)
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            return error.code, (json.loads(text) if text.startswith("{") else text), dict(error.headers)


@pytest.fixture(scope="session")
def system():
    bin_dir = pathlib.Path(subprocess.check_output(["swift", "build", "--show-bin-path"], cwd=ROOT, text=True).strip())
    name = f"e2e-{os.getpid()}"
    exports = subprocess.check_output([str(ROOT / "scripts/pg"), "start", name], cwd=ROOT, text=True)
    env = dict(os.environ)
    for line in exports.splitlines():
        for assignment in line.removeprefix("export ").split(" "):
            key, _, value = assignment.partition("=")
            env[key] = value.strip("'")
    work = pathlib.Path(tempfile.mkdtemp(prefix="fwa-e2e-"))
    mail_dir = work / "mail"
    mail_dir.mkdir()
    smtp_port = free_port()
    processes = [subprocess.Popen([str(ROOT / "scripts/smtp-sink"), str(smtp_port), str(mail_dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    wait_until(lambda: socket.socket().connect_ex(("127.0.0.1", smtp_port)) == 0, what="the SMTP server")
    hook_port = free_port()
    hooks = http.server.ThreadingHTTPServer(("127.0.0.1", hook_port), Webhooks)
    threading.Thread(target=hooks.serve_forever, daemon=True).start()

    subprocess.run([str(bin_dir / "fwactl"), "migrate"], env=env, check=True, capture_output=True)
    ports = {service: free_port() for service in ["intake", "approval-router", "compliance-checker", "notifier"]}
    env.update({
        "FWA_ADMIN_TOKEN": ADMIN_TOKEN, "FWA_ACTION_LINK_SECRET": LINK_SECRET, "LOG_FORMAT": "json", "LOG_LEVEL": "info",
        "FWA_PUBLIC_URL": f"http://127.0.0.1:{ports['intake']}", "FWA_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "FWA_POLL_INTERVAL": "0.5",
    })
    logs = {}
    for service, port in ports.items():
        logs[service] = open(work / f"{service}.log", "w")
        processes.append(subprocess.Popen([str(bin_dir / service)], env={**env, "FWA_HTTP_PORT": str(port)}, stdout=logs[service], stderr=subprocess.STDOUT))
    for service, port in ports.items():
        wait_until(lambda: _ready(port), what=f"{service} ready")
    api = API(f"http://127.0.0.1:{ports['intake']}")
    yield {"api": api, "env": env, "bin": bin_dir, "mail": mail_dir, "hooks": Webhooks.received, "hook_url": f"http://127.0.0.1:{hook_port}/hook",
           "work": work, "processes": processes}
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    hooks.shutdown()
    subprocess.run([str(ROOT / "scripts/pg"), "destroy", name], cwd=ROOT, capture_output=True)
    print(f"e2e logs kept in {work}", file=sys.stderr)


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
            return response.status == 200
    except Exception:
        return False


@pytest.fixture(scope="session")
def tenants(system):
    """The five seed tenants, their webhooks pointed at the local receiver, applied through the
    API; an identity provider and an API key each."""
    api, keys = system["api"], {}
    for path in sorted((ROOT / "deploy/tenants").glob("*.yaml")):
        policy = yaml.safe_load(path.read_text())
        for role in policy.get("roles", []):
            if role.get("webhook_url"):
                role["webhook_url"] = system["hook_url"]
        status, body, _ = api.call("PUT", f"/v1/tenants/{policy['id']}", policy, token=ADMIN_TOKEN)
        assert status in (200, 201), (policy["id"], body)
        status, body, _ = api.call("PUT", f"/v1/tenants/{policy['id']}/identity", {"issuer": ISSUER, "hs256_secret": IDP_SECRET}, token=ADMIN_TOKEN)
        assert status in (200, 201), body
        status, body, _ = api.call("POST", f"/v1/tenants/{policy['id']}/api-keys",
                                   {"name": "e2e", "scopes": ["requests:write", "requests:read", "decisions:write", "alerts:read", "alerts:write"]},
                                   token=ADMIN_TOKEN)
        assert status == 201, body
        keys[policy["id"]] = body["secret"]
    return keys
