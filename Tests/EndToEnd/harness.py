"""The whole system as separate processes, for the end-to-end and reliability suites: a
throwaway PostgreSQL (scripts/pg, stoppable and restartable on the same port and data), a real
SMTP server (scripts/smtp-sink, stoppable and restartable on the same port), a webhook receiver
whose behaviour a test can switch (answer 200, 500, 410 or time out), and the four services as
restartable processes with their memory (RSS) sampled.

Binaries come from $FWA_BIN_DIR, else `swift build --show-bin-path`. Every wait is bounded."""
import base64
import email
import email.policy
import hashlib
import hmac
import http.server
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "e2e-operator-token-7Kq9Xw2Lm4Rt"
IDP_SECRET = "e2e-idp-hs256-secret-0123456789abcdef"
ISSUER = "https://idp.e2e.example"
AUDIENCE = "flexwork-e2e"
LINK_SECRET = "e2e-action-link-key-9f3K2mQ7xR4tW8zL5vB1nH6"
WORKERS = ["approval-router", "compliance-checker", "notifier"]
SERVICES = ["intake"] + WORKERS
# The login each service runs as (scripts/pg logins) and its group role (migrations 0006, 0010).
LOGINS = {"intake": "flexwork_intake", "approval-router": "flexwork_approval_router",
          "compliance-checker": "flexwork_compliance_checker", "notifier": "flexwork_notifier"}
GROUPS = {"intake": "fwa_intake", "approval-router": "fwa_router",
          "compliance-checker": "fwa_checker", "notifier": "fwa_notifier"}


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
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def jwt(sub: str) -> str:
    """An HS256 user token from the tenant's identity provider."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64(json.dumps({"sub": sub, "iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 3600, "iat": int(time.time())}).encode())
    signature = hmac.new(IDP_SECRET.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{b64(signature)}"


def bin_dir() -> pathlib.Path:
    if os.environ.get("FWA_BIN_DIR"):
        return pathlib.Path(os.environ["FWA_BIN_DIR"])
    return pathlib.Path(subprocess.check_output(["swift", "build", "--show-bin-path"], cwd=ROOT, text=True).strip())


class API:
    def __init__(self, base: str):
        self.base = base

    def call(self, method, path, body=None, token=None, acting=None, headers=None, timeout=10):
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
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else None), dict(response.headers)
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            return error.code, (json.loads(text) if text.startswith("{") else text), dict(error.headers)

    def call_retrying(self, method, path, body=None, attempts=60, **kwargs):
        """Like `call`, but retries connection errors and 5xx (the service restarting, the
        database away) with a bounded backoff. POSTs must carry an Idempotency-Key."""
        last = None
        for attempt in range(attempts):
            try:
                status, answer, headers = self.call(method, path, body, **kwargs)
                if status < 500:
                    return status, answer, headers
                last = (status, answer)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
                last = error
            time.sleep(min(2.0, 0.05 * 2 ** min(attempt, 6)))
        raise AssertionError(f"{method} {path}: still failing after {attempts} attempts: {last}")


class WebhookReceiver:
    """Records every POST. `mode` decides the answer: "ok" (200), "error" (500), "timeout"
    (sleeps `hang` seconds, then 200 to a client that has long gone). Deliveries of requests in
    `poison` always get 410 (a permanent failure)."""

    def __init__(self):
        self.received = []      # every attempt: {"headers", "body", "status", "at"}
        self.mode = "ok"
        self.hang = 5.0
        self.poison = set()
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                mode = receiver.mode
                try:
                    request_id = json.loads(body).get("request_id")
                except ValueError:
                    request_id = None
                status = 410 if request_id in receiver.poison else {"ok": 200, "error": 500, "timeout": 200}[mode]
                if mode == "timeout" and status == 200:
                    time.sleep(receiver.hang)
                with receiver.lock:
                    receiver.received.append({"headers": dict(self.headers), "body": body, "status": status, "at": time.time(), "mode": mode})
                try:
                    self.send_response(status)
                    self.end_headers()
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def accepted(self):
        """Deliveries answered 2xx in "ok" mode (a timed-out answer never reaches the notifier)."""
        with self.lock:
            return [r for r in self.received if r["status"] == 200 and r["mode"] == "ok"]

    def stop(self):
        self.server.shutdown()


class Postgres:
    def __init__(self, name: str):
        self.name = name
        self.env = {}
        exports = subprocess.check_output([str(ROOT / "scripts/pg"), "start", name], cwd=ROOT, text=True)
        for line in exports.splitlines():
            for assignment in line.removeprefix("export ").split(" "):
                key, _, value = assignment.partition("=")
                self.env[key] = value.strip("'")

    def login_env(self, login: str) -> dict:
        """DATABASE_URL and PGUSER of another login (scripts/pg logins creates the services')."""
        url = subprocess.check_output([str(ROOT / "scripts/pg"), "url", self.name, login], cwd=ROOT, text=True).strip()
        return {"DATABASE_URL": url, "PGUSER": login}

    def stop(self):
        subprocess.run([str(ROOT / "scripts/pg"), "stop", self.name], cwd=ROOT, check=True, capture_output=True)

    def start(self):
        subprocess.run([str(ROOT / "scripts/pg"), "start", self.name], cwd=ROOT, check=True, capture_output=True)

    def destroy(self):
        subprocess.run([str(ROOT / "scripts/pg"), "destroy", self.name], cwd=ROOT, capture_output=True)

    def query(self, sql: str, *args):
        """Rows of `sql` as lists of strings (psql, unaligned); $1… are substituted as literals."""
        for index, value in reversed(list(enumerate(args, start=1))):
            literal = "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"
            sql = sql.replace(f"${index}", literal)
        result = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\x1f", "-v", "ON_ERROR_STOP=1", "-c", sql],
                                env={**os.environ, **self.env}, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr.strip()}\n{sql}")
        return [line.split("\x1f") for line in result.stdout.splitlines() if line]

    def scalar(self, sql: str, *args):
        rows = self.query(sql, *args)
        return rows[0][0] if rows else None


class SMTPSink:
    def __init__(self, mail_dir: pathlib.Path, port: int):
        self.mail_dir, self.port, self.process = mail_dir, port, None
        self.start()

    def start(self):
        self.process = subprocess.Popen([str(ROOT / "scripts/smtp-sink"), str(self.port), str(self.mail_dir)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: socket.socket().connect_ex(("127.0.0.1", self.port)) == 0, what="the SMTP server")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        wait_until(lambda: socket.socket().connect_ex(("127.0.0.1", self.port)) != 0, what="the SMTP server to stop")

    def message_ids(self):
        """The Message-ID of every stored message (header parsing only)."""
        ids = []
        for path in self.mail_dir.glob("*.eml"):
            with open(path, "rb") as handle:
                headers = email.message_from_binary_file(handle, policy=email.policy.compat32, _class=email.message.Message)
            ids.append(headers.get("Message-ID"))
        return ids

    def accepted_at(self):
        """Message-ID -> when the server first stored it (seconds since the epoch, taken just
        before its 250 reply; the file name starts with time.time_ns())."""
        first = {}
        for path in self.mail_dir.glob("*.eml"):
            with open(path, "rb") as handle:
                headers = email.message_from_binary_file(handle, policy=email.policy.compat32, _class=email.message.Message)
            at = int(path.name.split("-")[0]) / 1e9
            key = headers.get("Message-ID")
            first[key] = min(at, first.get(key, at))
        return first


def _read_status(pid: int) -> dict:
    values = {}
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) * 1024
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass
    return values


class ServiceProcess:
    """One service, restartable. Tracks its peak RSS over every incarnation."""

    def __init__(self, name: str, binary: pathlib.Path, env: dict, port: int, log_dir: pathlib.Path):
        self.name, self.binary, self.env, self.port, self.log_dir = name, binary, env, port, log_dir
        self.process = None
        self.incarnation = 0
        self.peak_rss = 0
        self.rss_samples = []   # (time, bytes)
        self.log = open(log_dir / f"{name}.log", "ab")

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def start(self, wait_ready=True, timeout=60.0):
        self.incarnation += 1
        self.log.write(f"--- start #{self.incarnation} at {time.time():.3f}\n".encode())
        self.log.flush()
        self.process = subprocess.Popen([str(self.binary)], env={**self.env, "FWA_HTTP_PORT": str(self.port)},
                                        stdout=self.log, stderr=subprocess.STDOUT)
        if wait_ready:
            wait_until(self.ready, timeout=timeout, interval=0.05, what=f"{self.name} ready")

    def ready(self) -> bool:
        return readyz(self.port)

    def sample(self):
        if self.process and self.process.poll() is None:
            status = _read_status(self.process.pid)
            rss = max(status.get("VmRSS", 0), status.get("VmHWM", 0))
            self.peak_rss = max(self.peak_rss, rss)
            self.rss_samples.append((time.time(), status.get("VmRSS", 0)))

    def kill(self):
        """SIGKILL: no chance to release anything."""
        self.sample()
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=15)

    def terminate(self, timeout=60.0) -> tuple:
        """SIGTERM; returns (seconds to exit, exit status)."""
        self.sample()
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        return time.monotonic() - started, code

    def stop(self):
        if self.process and self.process.poll() is None:
            self.terminate(timeout=30)


def readyz(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
            return response.status == 200
    except Exception:
        return False


class System:
    """PostgreSQL, SMTP, a webhook receiver and the four services. `settings` add to (or
    override) the services' environment."""

    def __init__(self, label="e2e", settings=None):
        self.bin = bin_dir()
        self.work = pathlib.Path(tempfile.mkdtemp(prefix=f"fwa-{label}-"))
        self.db = Postgres(f"{label}-{os.getpid()}")
        try:
            self._start(settings)
        except BaseException:
            for service in getattr(self, "services", {}).values():
                service.stop()
            if getattr(self, "smtp", None):
                self.smtp.stop()
            self.db.destroy()
            raise

    def _start(self, settings):
        self.mail_dir = self.work / "mail"
        self.mail_dir.mkdir()
        self.smtp = SMTPSink(self.mail_dir, free_port())
        self.hooks = WebhookReceiver()
        self.env = {**os.environ, **self.db.env}
        subprocess.run([str(self.bin / "fwactl"), "migrate"], env=self.env, check=True, capture_output=True)
        ports = {service: free_port() for service in SERVICES}
        self.env.update({
            "LOG_FORMAT": "json", "LOG_LEVEL": "info", "FWA_PUBLIC_URL": f"http://127.0.0.1:{ports['intake']}", "FWA_POLL_INTERVAL": "0.5",
            # The webhook receiver is plain http on 127.0.0.1: the development settings, which the
            # intake (at apply time) and the notifier (at send time) refuse without.
            "FWA_WEBHOOK_ALLOW_HTTP": "1", "FWA_WEBHOOK_ALLOW_PRIVATE": "1",
            # Generous abuse limits: the scenarios and the reliability workloads come from one address.
            "FWA_RATE_LIMIT_PER_CLIENT": "5000", "FWA_RATE_LIMIT_PER_KEY": "5000", "FWA_MAX_CONNECTIONS_PER_CLIENT": "2048",
        })
        # Each service gets only the secrets (and the relay) it reads.
        own = {"intake": {"FWA_ADMIN_TOKEN": ADMIN_TOKEN, "FWA_ACTION_LINK_SECRET": LINK_SECRET},
               "notifier": {"FWA_ACTION_LINK_SECRET": LINK_SECRET, "FWA_SMTP_URL": f"smtp://127.0.0.1:{self.smtp.port}"}}
        self.env.update(settings or {})
        # Each service under its own least-privilege login (migration 0006's groups); `env` stays
        # the owner's, for fwactl and psql.
        subprocess.run([str(ROOT / "scripts/pg"), "logins", self.db.name], cwd=ROOT, check=True, capture_output=True)
        self.services = {name: ServiceProcess(name, self.bin / name, {**own.get(name, {}), **self.env, **self.db.login_env(LOGINS[name])}, port, self.work)
                         for name, port in ports.items()}
        for service in self.services.values():
            service.start(wait_ready=False)
        for service in self.services.values():
            wait_until(service.ready, timeout=60, what=f"{service.name} ready")
        self.api = API(f"http://127.0.0.1:{ports['intake']}")
        self._sampling = threading.Event()
        self._sampler = threading.Thread(target=self._sample_loop, daemon=True)
        self._sampler.start()

    def _sample_loop(self):
        while not self._sampling.wait(0.5):
            for service in self.services.values():
                try:
                    service.sample()
                except Exception:
                    pass

    def fwactl(self, *args) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.bin / "fwactl"), *args], env=self.env, capture_output=True, text=True, timeout=120)

    def apply_tenants(self, extra=None):
        """The five seed tenants (plus `extra`: {id: policy dict}), their webhooks pointed at the
        local receiver, applied through the API; an identity provider and an API key each."""
        policies = [yaml.safe_load(path.read_text()) for path in sorted((ROOT / "deploy/tenants").glob("*.yaml"))]
        policies += list((extra or {}).values())
        keys = {}
        for policy in policies:
            for role in policy.get("roles", []):
                if role.get("webhook_url"):
                    role["webhook_url"] = self.hooks.url
            status, body, _ = self.api.call("PUT", f"/v1/tenants/{policy['id']}", policy, token=ADMIN_TOKEN)
            assert status in (200, 201), (policy["id"], body)
            status, body, _ = self.api.call("PUT", f"/v1/tenants/{policy['id']}/identity", {"issuer": ISSUER, "audience": AUDIENCE, "hs256_secret": IDP_SECRET}, token=ADMIN_TOKEN)
            assert status in (200, 201), body
            status, body, _ = self.api.call("POST", f"/v1/tenants/{policy['id']}/api-keys",
                                            {"name": "e2e", "scopes": ["requests:write", "requests:read", "decisions:write", "alerts:read", "alerts:write"]},
                                            token=ADMIN_TOKEN)
            assert status == 201, body
            keys[policy["id"]] = body["secret"]
        return keys

    def peak_rss(self) -> dict:
        for service in self.services.values():
            service.sample()
        return {name: service.peak_rss for name, service in self.services.items()}

    def close(self):
        self._sampling.set()
        for service in self.services.values():
            try:
                service.stop()
            except Exception:
                pass
        try:
            self.smtp.stop()
        except Exception:
            pass
        self.hooks.stop()
        if os.environ.get("FWA_KEEP_DB") != "1":
            self.db.destroy()
        print(f"logs kept in {self.work}", file=sys.stderr)
