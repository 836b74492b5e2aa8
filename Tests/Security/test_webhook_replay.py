"""The documented webhook receiver helper refuses replays (a correct signature whose timestamp is
more than five minutes old, or in the future), altered bodies, other secrets and malformed headers.
A replay inside the five minutes passes the signature check by design: the documented step 4
(drop an `X-Flexwork-Delivery` already processed) is what refuses it, shown here as well.
Signatures captured from a real notifier are replayed in test_e2e_logs.py."""
import hashlib
import hmac
import sys
import time
import pathlib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from webhook_receiver import documented_verify  # noqa: E402

SECRET = "a" * 64
BODY = b'{"data":{"alert_kind":"international"},"delivery_id":"d1","event_key":"e","kind":"alert","request_id":"r","tenant_id":"mit"}'


def sign(timestamp: str, body: bytes = BODY, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def test_fresh_signature_verifies():
    verify = documented_verify()
    now = str(int(time.time()))
    assert verify(SECRET, now, BODY, sign(now))


def test_replayed_signature_is_refused():
    verify = documented_verify()
    for age in (301, 3600, 86_400 * 365):
        old = str(int(time.time()) - age)
        assert not verify(SECRET, old, BODY, sign(old)), f"a {age} s old signature was accepted"
    future = str(int(time.time()) + 301)
    assert not verify(SECRET, future, BODY, sign(future))


def test_tampering_and_malformed_headers_are_refused():
    verify = documented_verify()
    now = str(int(time.time()))
    good = sign(now)
    cases = {
        "altered body": (now, BODY.replace(b"international", b"domestic"), good),
        "other secret": (now, BODY, sign(now, secret="b" * 64)),
        "timestamp swapped after signing": (str(int(now) - 1), BODY, good),
        "no sha256= prefix": (now, BODY, good.removeprefix("sha256=")),
        "uppercase hex": (now, BODY, "sha256=" + good.removeprefix("sha256=").upper()),
        "truncated": (now, BODY, good[:-2]),
        "empty signature": (now, BODY, ""),
        "timestamp not digits": (now + "a", BODY, sign(now + "a")),
        "negative timestamp": ("-" + now, BODY, sign("-" + now)),
        "empty timestamp": ("", BODY, sign("")),
    }
    for name, (timestamp, body, signature) in cases.items():
        assert not verify(SECRET, timestamp, body, signature), name


def test_replay_within_tolerance_needs_the_delivery_id_check():
    verify = documented_verify()
    now = str(int(time.time()))
    seen: set[str] = set()

    def receive(delivery_id: str, timestamp: str, body: bytes, signature: str) -> bool:
        """Steps 1-4 of "Verifying a delivery"."""
        if not verify(SECRET, timestamp, body, signature) or delivery_id in seen:
            return False
        seen.add(delivery_id)
        return True

    assert receive("d1", now, BODY, sign(now))
    assert verify(SECRET, now, BODY, sign(now)), "the signature alone stays valid for five minutes"
    assert not receive("d1", now, BODY, sign(now)), "the same delivery id must be dropped"
