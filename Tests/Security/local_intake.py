"""A local intake on a throwaway PostgreSQL, seeded with one tenant per fuzzing run: the
operator fuzzes its own tenant (it may revoke keys and replace the identity settings), the tenant
operations fuzz another one that keeps a working API key and acting-user token."""
import base64
import hashlib
import hmac
import json
import os
import pathlib
import socket
import subprocess
import time
import urllib.error
import urllib.request

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "sec-operator-token-5Hj8Pw3Nq6Vz"
LINK_SECRET = "sec-action-link-key-4Tg7Yk2Rm9Lq5Wd8Zp3Fc1"
IDP_SECRET = "sec-idp-hs256-secret-0123456789abcdef"
ISSUER = "https://idp.sec.example"
AUDIENCE = "flexwork-sec"
ALL_SCOPES = ["requests:write", "requests:read", "decisions:write", "alerts:read", "alerts:write", "delegations:write"]


def bin_dir() -> pathlib.Path:
    """`FWA_BIN_DIR`, else the default `swift build` products."""
    if os.environ.get("FWA_BIN_DIR"):
        return pathlib.Path(os.environ["FWA_BIN_DIR"])
    return pathlib.Path(subprocess.check_output(["swift", "build", "--show-bin-path"], cwd=ROOT, text=True).strip())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def jwt(sub: str, secret: str = IDP_SECRET, issuer: str = ISSUER) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    now = int(time.time())
    claims = b64(json.dumps({"sub": sub, "iss": issuer, "aud": AUDIENCE, "iat": now, "exp": now + 3600}).encode())
    signature = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{b64(signature)}"


def call(base, method, path, body=None, token=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return error.code, (json.loads(text) if text.startswith("{") else text)


class LocalIntake:
    """Starts `scripts/pg start <name>`, migrates it (fwactl, as the owner) and starts the intake under
    its own login (scripts/pg logins); `stop()` ends both. `settings` are extra environment
    variables of the intake; `before_start(self)` runs once the database is ready, before the
    intake starts (say, to set a role's logging with `psql`)."""

    def __init__(self, name: str, work: pathlib.Path, settings: dict | None = None, before_start=None):
        self.name = name
        self.work = work
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        exports = subprocess.check_output([str(ROOT / "scripts/pg"), "start", name], cwd=ROOT, text=True)
        self.env = dict(os.environ)
        for line in exports.splitlines():
            for assignment in line.removeprefix("export ").split(" "):
                key, _, value = assignment.partition("=")
                self.env[key] = value.strip("'")
        # Migrated by the owner; the intake runs under its least-privilege login, as deployed.
        subprocess.run([str(bin_dir() / "fwactl"), "migrate"], env=self.env, check=True, capture_output=True)
        subprocess.run([str(ROOT / "scripts/pg"), "logins", name], cwd=ROOT, check=True, capture_output=True)
        self.owner_env = dict(self.env)
        if before_start:
            before_start(self)
        login_url = subprocess.check_output([str(ROOT / "scripts/pg"), "url", name, "flexwork_intake"], cwd=ROOT, text=True).strip()
        self.env.update({"FWA_ADMIN_TOKEN": ADMIN_TOKEN, "FWA_ACTION_LINK_SECRET": LINK_SECRET, "FWA_HTTP_PORT": str(self.port),
                         "DATABASE_URL": login_url, "PGUSER": "flexwork_intake", "LOG_FORMAT": "json", "LOG_LEVEL": "info",
                         "FWA_WEBHOOK_ALLOW_HTTP": "1", "FWA_WEBHOOK_ALLOW_PRIVATE": "1"})
        # Generous abuse limits: a fuzzing run sends thousands of requests from one address.
        self.env.update({"FWA_RATE_LIMIT_PER_CLIENT": "5000", "FWA_RATE_LIMIT_PER_KEY": "5000", "FWA_MAX_CONNECTIONS_PER_CLIENT": "2048"})
        self.env.update(settings or {})
        self.log_path = work / "intake.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([str(bin_dir() / "intake")], env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=1) as response:
                    if response.status == 200:
                        return
            except Exception:
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"the intake did not become ready; see {self.log_path}")

    def psql(self, sql: str) -> str:
        """Runs `sql` as the database owner; returns psql's unaligned output."""
        return subprocess.run(["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql], env=self.owner_env,
                              check=True, capture_output=True, text=True).stdout

    @property
    def postgres_log(self) -> pathlib.Path:
        """The throwaway cluster's server log (where scripts/pg puts it)."""
        base = pathlib.Path(f"/tmp/fwa-pg-{self.name}") if os.getuid() == 0 else ROOT / f".fwa/pg-{self.name}"
        return base / "postgres.log"

    def tenant(self, tenant: str) -> str:
        """Applies deploy/tenants/mit.yaml as `tenant` with an HS256 identity provider; returns an API key with every scope."""
        policy = yaml.safe_load((ROOT / "deploy/tenants/mit.yaml").read_text())
        policy["id"] = tenant
        # The seed's webhook host does not resolve here and would be refused; a local address,
        # with the development settings below (nothing posts to it: no notifier runs).
        for role in policy.get("roles", []):
            if role.get("webhook_url"):
                role["webhook_url"] = "http://127.0.0.1:9/hooks"
        for path, body in [(f"/v1/tenants/{tenant}", policy), (f"/v1/tenants/{tenant}/identity", {"issuer": ISSUER, "audience": AUDIENCE, "hs256_secret": IDP_SECRET})]:
            status, answer = call(self.base, "PUT", path, body, token=ADMIN_TOKEN)
            assert status in (200, 201), (path, status, answer)
        status, answer = call(self.base, "POST", f"/v1/tenants/{tenant}/api-keys", {"name": "fuzz", "scopes": ALL_SCOPES}, token=ADMIN_TOKEN)
        assert status == 201, answer
        return answer["secret"]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
        subprocess.run([str(ROOT / "scripts/pg"), "destroy", self.name], cwd=ROOT, capture_output=True)
