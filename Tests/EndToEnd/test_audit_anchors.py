"""Audit anchors (`fwactl audit anchor` / `verify --anchors`) against a throwaway PostgreSQL: the
database owner can rewrite an event and recompute every hash after it, and the chain then verifies
as intact; the signed heads exported before the rewrite, with a key the owner does not hold, catch
it. An honest chain that grew after its anchors passes."""
import json
import os
import pathlib
import subprocess

import pytest

from harness import ROOT, Postgres, bin_dir

TENANT = "mit"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = Postgres(f"anchors-{os.getpid()}")
    try:
        fwactl = bin_dir() / "fwactl"
        env = {**os.environ, **database.env}
        subprocess.run([str(fwactl), "migrate"], env=env, check=True, capture_output=True)
        subprocess.run([str(fwactl), "tenant", "apply", str(ROOT / "deploy/tenants/mit.yaml"), str(ROOT / "deploy/tenants/mines.yaml")],
                       env=env, check=True, capture_output=True)
        yield {"pg": database, "env": env, "fwactl": fwactl, "work": tmp_path_factory.mktemp("anchors")}
    finally:
        database.destroy()


def fwactl(db, *args) -> subprocess.CompletedProcess:
    return subprocess.run([str(db["fwactl"]), *args], env=db["env"], capture_output=True, text=True, timeout=120)


def append(db, count: int):
    for index in range(count):
        db["pg"].query("SELECT fwa_append_event($1, NULL, 'hr@mit.edu', $2, NULL, NULL)", TENANT, f"noted-{index}")


def rewrite_and_reseal(db, seq: int):
    """What an owner who wants another history does: change an event, relink every hash after it."""
    db["pg"].query(f"""
        ALTER TABLE events DISABLE TRIGGER USER;
        UPDATE events SET actor = 'forger@mit.edu' WHERE tenant_id = '{TENANT}' AND seq = {seq};
        DO $$ DECLARE e record; previous text := repeat('0', 64); BEGIN
            FOR e IN SELECT * FROM events WHERE tenant_id = '{TENANT}' AND seq IS NOT NULL ORDER BY seq LOOP
                UPDATE events SET prev_hash = previous,
                       hash = fwa_event_hash(previous, e.tenant_id, e.seq, e.request_id, e.at, e.actor, e.action, e.before, e.after)
                 WHERE id = e.id RETURNING hash INTO previous;
            END LOOP;
        END $$;
        ALTER TABLE events ENABLE TRIGGER USER;
        """)


def test_anchors_catch_a_rewritten_and_resealed_history(db):
    work: pathlib.Path = db["work"]
    private, public = work / "anchor.key", work / "anchor.pub"
    assert fwactl(db, "audit", "keygen", "--private-key", str(private), "--public-key", str(public)).returncode == 0
    assert oct(private.stat().st_mode & 0o777) == "0o600"
    append(db, 4)
    anchored = fwactl(db, "audit", "anchor", "--key", str(private), "--out", str(work / "anchors"))
    assert anchored.returncode == 0, anchored.stdout + anchored.stderr
    files = sorted(p.relative_to(work / "anchors").as_posix() for p in (work / "anchors").rglob("*.json"))
    assert files == ["mines/000000000001.json", "mit/000000000005.json"], files

    # Honest: the chain grew after its anchors; every anchor is signed and still in it.
    append(db, 2)
    honest = fwactl(db, "audit", "verify", "--anchors", str(work / "anchors"), "--public-key", str(public))
    assert honest.returncode == 0, honest.stdout + honest.stderr
    assert "2 anchors checked" in honest.stdout

    # Anchors checked with a key that did not sign them are refused.
    other = work / "other.pub"
    fwactl(db, "audit", "keygen", "--private-key", str(work / "other.key"), "--public-key", str(other))
    wrong_key = fwactl(db, "audit", "verify", TENANT, "--anchors", str(work / "anchors"), "--public-key", str(other))
    assert wrong_key.returncode == 1 and "signature does not match" in wrong_key.stdout

    # The owner rewrites event 2 and re-seals everything after it: the chain alone looks intact…
    rewrite_and_reseal(db, 2)
    plain = fwactl(db, "audit", "verify", TENANT)
    assert plain.returncode == 0 and "chain intact" in plain.stdout, plain.stdout
    # …but the anchored head no longer matches.
    caught = fwactl(db, "audit", "verify", TENANT, "--anchors", str(work / "anchors"), "--public-key", str(public))
    assert caught.returncode == 1, caught.stdout
    assert "history rewritten" in caught.stdout

    # An anchor file edited to the new head keeps the old signature, which no longer matches.
    anchor = work / "anchors/mit/000000000005.json"
    new_hash = db["pg"].scalar(f"SELECT hash FROM events WHERE tenant_id = '{TENANT}' AND seq = 5")
    text = anchor.read_text()

    edited = json.loads(text)
    edited["hash"] = new_hash
    anchor.write_text(json.dumps(edited))
    forged = fwactl(db, "audit", "verify", TENANT, "--anchors", str(work / "anchors"), "--public-key", str(public))
    assert forged.returncode == 1 and "signature does not match" in forged.stdout
