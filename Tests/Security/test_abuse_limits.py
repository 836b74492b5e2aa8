"""Abuse before authentication and floods of bad keys (issue #14, items 5 and 9), against a real
intake process on a throwaway PostgreSQL, over real sockets:

- 200 stalled unauthenticated uploads (each declares Content-Length: 1000000 under a 1 MiB body
  limit, sends all but the last 10 bytes, and waits) are each refused from their headers and
  cut, the intake's resident memory (/proc/<pid>/status) stays bounded, and a valid request is
  still answered;
- an authenticated body that trickles in a byte at a time (never idle long enough for the idle
  timeout) is cut with 408 after the body read deadline;
- connections from one client address past FWA_MAX_CONNECTIONS_PER_CLIENT are closed at once;
- a bad API key sent again and again reaches the database once: the intake's login has
  `log_statement = all`, and the test counts the statements calling `fwa_api_key_by_hash` in
  the server log.

Knobs: FWA_ABUSE_UPLOADS (default 200), FWA_ABUSE_RSS_GROWTH_MIB (the bound, default 48)."""
import http.client
import os
import pathlib
import secrets
import socket
import sys
import tempfile
import threading
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from local_intake import ADMIN_TOKEN, LocalIntake, call  # noqa: E402

UPLOADS = int(os.environ.get("FWA_ABUSE_UPLOADS", "200"))
RSS_GROWTH_MIB = float(os.environ.get("FWA_ABUSE_RSS_GROWTH_MIB", "48"))
BODY_LIMIT = 1024 * 1024  # the limit the review ran against
DECLARED = 1_000_000
SENT = DECLARED - 10
MAX_CONNECTIONS = 64
READ_TIMEOUT_S = 3


def memory_kib(pid: int, field: str) -> int:
    """A memory figure of a process (`VmRSS`: resident now), in KiB."""
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


@pytest.fixture(scope="module")
def intake():
    work = pathlib.Path(tempfile.mkdtemp(prefix="fwa-abuse-"))
    local = LocalIntake(f"sec-abuse-{os.getpid()}", work, settings={
        "FWA_MAX_BODY_BYTES": str(BODY_LIMIT), "FWA_BODY_READ_TIMEOUT_SECONDS": str(READ_TIMEOUT_S),
        "FWA_MAX_CONNECTIONS_PER_CLIENT": str(MAX_CONNECTIONS),
        # Rate limits are tested in Tests/IntakeTests/RateLimitTests; here they stay out of the way.
        "FWA_RATE_LIMIT_PER_CLIENT": "0", "FWA_RATE_LIMIT_PER_KEY": "0"},
        before_start=lambda db: db.psql("ALTER ROLE flexwork_intake SET log_statement = 'all'"))
    try:
        local.key = local.tenant("abuse")
        yield local
    finally:
        local.stop()


def upload_head(intake, path="/v1/tenants/abuse/requests", token=None, length=DECLARED) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{intake.port}", "Content-Type: application/json",
             f"Content-Length: {length}"] + ([f"Authorization: Bearer {token}"] if token else [])
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def get_from(source: str, intake, path: str, token: str) -> int:
    """A GET from another loopback address (`source`, e.g. 127.0.0.2): another client, whose
    connections the bound per client address does not count with the attacker's."""
    connection = http.client.HTTPConnection("127.0.0.1", intake.port, timeout=10, source_address=(source, 0))
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        return connection.getresponse().status
    finally:
        connection.close()


def stalled_upload(intake, outcomes: list, index: int):
    """Sends the head and all but 10 bytes of the body, then waits for the intake's answer."""
    try:
        sock = socket.create_connection(("127.0.0.1", intake.port), timeout=15)
    except OSError as error:
        outcomes[index] = ("connect failed", error)
        return
    outcomes[index] = ("stalled", sock)
    try:
        sock.sendall(upload_head(intake) + b"{" + b" " * (SENT - 1))
    except OSError:
        pass  # the intake refused from the head and closed while we were still sending
    sock.settimeout(10)
    try:
        answer = sock.recv(200)
        outcomes[index] = ("answered" if answer else "closed", sock, answer)
    except (TimeoutError, socket.timeout):
        outcomes[index] = ("no answer", sock, b"")
    except OSError:
        outcomes[index] = ("closed", sock, b"")


def test_stalled_unauthenticated_uploads_are_refused_from_their_headers_and_memory_stays_bounded(intake):
    pid = intake.process.pid
    before = memory_kib(pid, "VmRSS")
    outcomes = [None] * UPLOADS
    threads = [threading.Thread(target=stalled_upload, args=(intake, outcomes, i)) for i in range(UPLOADS)]
    for thread in threads:
        thread.start()
    peak = before
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, memory_kib(pid, "VmRSS"))
        time.sleep(0.05)
    # While every socket is still open on our side, another client's valid request is answered.
    status = get_from("127.0.0.2", intake, "/v1/tenants/abuse/requests", intake.key)
    kinds = [outcome[0] for outcome in outcomes]
    for outcome in outcomes:
        if len(outcome) > 1 and hasattr(outcome[1], "close"):
            outcome[1].close()
    growth = (peak - before) / 1024
    print(f"\nstalled uploads: {UPLOADS}, RSS before {before / 1024:.1f} MiB, peak {peak / 1024:.1f} MiB "
          f"(+{growth:.1f} MiB); outcomes {dict((k, kinds.count(k)) for k in set(kinds))}")
    assert status == 200
    assert kinds.count("no answer") == 0, "uploads without a credential were left waiting for their body"
    answers = [outcome[2] for outcome in outcomes if outcome[0] == "answered"]
    assert all(answer.startswith(b"HTTP/1.1 401") for answer in answers), answers[:3]
    assert growth < RSS_GROWTH_MIB, f"RSS grew by {growth:.1f} MiB holding {UPLOADS} unauthenticated uploads"


def test_a_trickling_body_is_cut_after_the_read_deadline(intake):
    body = b'{"employee": ' + b" " * 4000 + b"}"
    # From its own loopback address, so the previous test's connections (still being closed) do
    # not count against it.
    with socket.create_connection(("127.0.0.1", intake.port), timeout=30, source_address=("127.0.0.3", 0)) as sock:
        sock.sendall(upload_head(intake, token=intake.key, length=len(body)))
        sock.setblocking(False)
        answer = b""
        deadline = time.monotonic() + 30 * READ_TIMEOUT_S  # a bound on the test, not the assertion
        for byte in body:
            if time.monotonic() > deadline:
                break
            try:
                sock.send(bytes([byte]))
            except OSError:
                break
            time.sleep(0.2)  # well under the 30 s idle timeout: the connection is never idle
            try:
                chunk = sock.recv(4096)
                answer += chunk
                if not chunk or b"\r\n\r\n" in answer:
                    break
            except BlockingIOError:
                continue
            except OSError:
                break
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]


def test_connections_past_the_per_client_bound_are_closed(intake):
    # From their own loopback address, counted apart from the other tests' connections.
    source = ("127.0.0.4", 0)
    held = [socket.create_connection(("127.0.0.1", intake.port), timeout=10, source_address=source) for _ in range(MAX_CONNECTIONS)]
    try:
        # Each held connection is served (so it is counted) before the next is tried.
        for sock in held:
            sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        extra = socket.create_connection(("127.0.0.1", intake.port), timeout=10, source_address=source)
        try:
            extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            refused = extra.recv(4096)
        except OSError:
            refused = b""
        finally:
            extra.close()
        assert refused == b"", refused[:100]
    finally:
        for sock in held:
            sock.close()
    # Once they are gone, the address is served again (the intake sees the closes asynchronously).
    deadline = time.monotonic() + 10
    while True:
        try:
            status = get_from("127.0.0.4", intake, "/v1/tenants/abuse/requests", intake.key)
            if status == 200:
                break
        except OSError:
            pass
        assert time.monotonic() < deadline, "the client address was not served again after its connections closed"
        time.sleep(0.1)


def lookups_logged(intake) -> int:
    return sum("fwa_api_key_by_hash" in line for line in intake.postgres_log.read_text(errors="replace").splitlines())


def test_a_repeated_bad_key_reaches_the_database_once(intake):
    bad = "fwa_" + secrets.token_urlsafe(32)
    before = lookups_logged(intake)
    for _ in range(20):
        status, body = call(intake.base, "GET", "/v1/tenants/abuse/requests", token=bad)
        assert status == 401, body
    after_first_key = lookups_logged(intake)
    status, _ = call(intake.base, "PUT", "/v1/tenants/abuse", {"id": "abuse"}, token=bad)  # an operator route, same key
    assert status == 401
    other = "fwa_" + secrets.token_urlsafe(32)
    for _ in range(5):
        assert call(intake.base, "GET", "/v1/tenants/abuse/requests", token=other)[0] == 401
    after_second_key = lookups_logged(intake)
    assert call(intake.base, "GET", "/v1/tenants/abuse/requests", token=intake.key)[0] == 200
    print(f"\nstatements for 21 requests with one bad key: {after_first_key - before}; "
          f"for 5 with another: {after_second_key - after_first_key}")
    assert after_first_key - before == 1
    assert after_second_key - after_first_key == 1
