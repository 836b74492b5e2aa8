"""Faults (issue 8): workers killed with SIGKILL mid-job, PostgreSQL restarted, SMTP and webhook
receivers down, SIGTERM under load. Each test runs a workload through the API while the fault is
injected, lets the system settle, and checks: every request in its correct final state, no job
lost or left failed, no approval step opened twice, no delivery sent twice."""
import random
import signal
import threading
import time

from conftest import record, size
from harness import WORKERS, readyz, wait_until
from workload import TENANTS, Workload

# Fast rescue so a killed worker's jobs come back quickly (heartbeats follow it, see
# WorkerSettings, read by WorkerMain), short shutdown grace so SIGTERM tests stay short.
FAULT_SETTINGS = {"FWA_RESCUE_AFTER": "3", "FWA_SHUTDOWN_GRACE": "5", "FWA_POLL_INTERVAL": "0.5", "LOG_LEVEL": "notice"}


def running_jobs(system, pid) -> int:
    return int(system.db.scalar("SELECT count(*) FROM fwa_jobs WHERE state = 'running' AND worker LIKE $1", f"%-{pid}"))


def assert_clean(figures, resend_bound=0):
    """No problem, nothing lost, no logical duplicate; at most `resend_bound` notifications re-sent
    with the same Message-ID or X-Flexwork-Delivery (a fault between the receiver's acceptance and
    the delivery's mark can only cut a job that was running: the bound is the jobs it could cut)."""
    assert not figures["problems"], figures["problems"]
    assert figures["lost"] == 0
    assert figures["duplicates"] == 0
    assert figures["email_duplicates_same_message_id"] + figures["webhook_resends_same_delivery_id"] <= resend_bound


def test_kill_workers_mid_job(make_system):
    """SIGKILL each worker service in turn while it holds running jobs, restart it at once."""
    requests, kills = size("FWA_REL_KILL_REQUESTS", 300), size("FWA_REL_KILLS", 15)
    system = make_system(FAULT_SETTINGS)
    keys = system.apply_tenants()
    workload = Workload(system, keys, label="k")
    started = time.monotonic()
    # Paced so that the submissions span the kills (about 2.5 s per kill, restart with readiness,
    # and the pause after it; each service now starts under its own login and checks its secrets).
    driver = workload.run(requests, rate=requests / (kills * 2.5), timeout=size("FWA_REL_TIMEOUT", 1200.0))
    log, rng = [], random.Random(8)
    while len(log) < kills and driver.is_alive():
        service = system.services[WORKERS[len(log) % len(WORKERS)]]
        # Wait (bounded) until it holds a job, so the kill lands mid-job.
        deadline = time.monotonic() + 5
        held = 0
        while time.monotonic() < deadline and not (held := running_jobs(system, service.pid)):
            time.sleep(0.01)
        service.kill()
        log.append({"service": service.name, "held_jobs": held, "at": round(time.monotonic() - started, 1)})
        service.start(wait_ready=True)
        time.sleep(rng.uniform(0.2, 1.0))
    driver.join(timeout=size("FWA_REL_TIMEOUT", 1200.0))
    workload.settle()
    figures = workload.verify()
    figures.update({
        "faults_injected": len(log),
        "kills_mid_job": sum(1 for k in log if k["held_jobs"]),
        "kills_by_service": {name: sum(1 for k in log if k["service"] == name) for name in WORKERS},
        "jobs_held_by_killed_workers": sum(k["held_jobs"] for k in log),
        "decisions": workload.decisions_posted,
        "seconds": round(time.monotonic() - started, 1),
        "peak_rss_bytes": system.peak_rss(),
    })
    record("kill_workers", figures)
    assert len(log) == kills, f"only {len(log)} kills: the workload finished first"
    assert figures["kills_mid_job"] >= kills * 0.8
    assert figures["jobs_rescued"] > 0
    assert_clean(figures, resend_bound=figures["jobs_held_by_killed_workers"])


class ReadinessWatch:
    """Samples /readyz of every service every 100 ms; keeps the transitions."""

    def __init__(self, system):
        self.system, self.stop = system, threading.Event()
        self.transitions = {name: [] for name in system.services}
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        last = {}
        while not self.stop.wait(0.1):
            for name, service in self.system.services.items():
                ready = readyz(service.port)
                if last.get(name) != ready:
                    self.transitions[name].append((time.monotonic(), ready))
                    last[name] = ready

    def close(self):
        self.stop.set()
        self.thread.join(timeout=5)


def test_postgres_restart(make_system):
    """Stop PostgreSQL for a few seconds in the middle of a run and start it again (same data
    and port). Polls are slow (30 s) so that a quick recovery proves LISTEN is back."""
    requests, down = size("FWA_REL_PG_REQUESTS", 150), size("FWA_REL_PG_DOWN", 5.0)
    system = make_system({**FAULT_SETTINGS, "FWA_POLL_INTERVAL": "30", "FWA_RESCUE_AFTER": "10"})
    keys = system.apply_tenants()
    workload = Workload(system, keys, label="p")
    started = time.monotonic()
    watch = ReadinessWatch(system)
    driver = workload.run(requests, rate=max(5.0, requests / 40), timeout=size("FWA_REL_TIMEOUT", 1200.0))
    wait_until(lambda: workload.submitted >= requests // 3, timeout=300, what="a third of the requests")
    stopped_at = time.monotonic()
    system.db.stop()
    time.sleep(down)
    start_called = time.monotonic()
    system.db.start()
    up_at = time.monotonic()
    wait_until(lambda: all(s.ready() for s in system.services.values()), timeout=120, interval=0.1, what="every service ready again")
    all_green = time.monotonic()
    # LISTEN re-established: with 30 s polls, a new request must route and notify in far less.
    probe_sent = time.monotonic()
    probe = workload.submit_one(100_000, tenant="rutgers")
    wait_until(lambda: system.db.scalar("SELECT count(*) FROM deliveries WHERE status = 'delivered' AND event_key ILIKE $1",
                                        f"step_opened:{probe}:%") == "1", timeout=60, interval=0.05, what="the probe's email")
    probe_latency = time.monotonic() - probe_sent
    driver.join(timeout=size("FWA_REL_TIMEOUT", 1200.0))
    watch.close()
    workload.settle()
    figures = workload.verify()
    readiness = {}
    for name, transitions in watch.transitions.items():
        red = [t for t, ready in transitions if not ready and t >= stopped_at]
        green = [t for t, ready in transitions if ready and t >= start_called]
        readiness[name] = {"red_after_stop_s": round(red[0] - stopped_at, 2) if red else None,
                           "green_after_start_s": round(green[0] - start_called, 2) if green else None}
    restarts = {name: s.process.poll() is None and s.incarnation == 1 for name, s in system.services.items()}
    figures.update({
        "faults_injected": 1, "postgres_down_s": down, "readiness": readiness,
        "postgres_start_s": round(up_at - start_called, 2), "all_ready_after_start_s": round(all_green - start_called, 2),
        "probe_route_and_email_s": round(probe_latency, 2),
        "services_never_restarted": restarts,
        "seconds": round(time.monotonic() - started, 1), "peak_rss_bytes": system.peak_rss(),
    })
    record("postgres_restart", figures)
    for name, r in readiness.items():
        assert r["red_after_stop_s"] is not None, f"{name} never went red"
        assert r["green_after_start_s"] is not None, f"{name} never went green"
    assert all(restarts.values()), "a service exited instead of reconnecting"
    assert probe_latency < 10, "routing after the restart waited for a poll: LISTEN not re-established"
    assert_clean(figures, resend_bound=int(system.env.get("FWA_WORKER_CONCURRENCY", "16")))


def test_delivery_outages(make_system):
    """SMTP down for a while; the webhook receiver answers 500, then hangs past the timeout;
    both recover and every delivery arrives once. Permanent failures (SMTP 550 for some
    employees, webhook 410 for some requests) end failed in the delivery log and as dead letters
    listed by `fwactl queue failed`."""
    smtp_down, requests = size("FWA_REL_SMTP_DOWN", 30.0), size("FWA_REL_OUTAGE_REQUESTS", 40)
    hook_error, hook_hang = size("FWA_REL_HOOK_ERROR", 15.0), size("FWA_REL_HOOK_HANG", 15.0)
    system = make_system({**FAULT_SETTINGS, "FWA_WEBHOOK_TIMEOUT": "2"})
    keys = system.apply_tenants()
    workload = Workload(system, keys, tenants=TENANTS, deny_every=0, label="o")
    system.hooks.hang = 4.0
    started = time.monotonic()
    system.smtp.stop()
    system.hooks.mode = "error"
    # Requests whose employee address the SMTP server refuses (550) and MIT requests whose
    # webhooks the receiver refuses (410): permanent failures.
    rejected = [workload.submit_one(i, tenant=TENANTS[i % len(TENANTS)], reject_employee=True) for i in range(1, 4)]
    poisoned = [workload.submit_one(10 + i, tenant="mit") for i in range(2)]
    system.hooks.poison.update(poisoned)
    driver = workload.run(requests, timeout=size("FWA_REL_TIMEOUT", 1200.0), start=100)
    time.sleep(hook_error)
    system.hooks.mode = "timeout"
    time.sleep(hook_hang)
    system.hooks.mode = "ok"
    time.sleep(max(0.0, smtp_down - hook_error - hook_hang))
    smtp_back = time.monotonic()
    system.smtp.start()
    driver.join(timeout=size("FWA_REL_TIMEOUT", 1200.0))
    workload.settle(timeout=600)
    recovered_in = time.monotonic() - smtp_back
    # Permanent failures: each rejected employee gets a decision and an activation email (550
    # both); each poisoned MIT request one alert webhook (410).
    failed = system.db.query("SELECT channel, recipient, request_id, last_error FROM deliveries WHERE status = 'failed'")
    dead = system.db.query("SELECT id, kind FROM fwa_jobs WHERE state = 'failed'")
    listed = system.fwactl("queue", "failed", "--limit", "1000")
    retried = system.db.query("SELECT max(attempts), count(*) FILTER (WHERE attempts > 1) FROM deliveries WHERE status = 'delivered'")[0]
    gaps = system.db.query("""
        SELECT max(attempt) FROM (SELECT jsonb_array_length(errors) AS attempt FROM fwa_jobs WHERE kind LIKE 'delivery.%') t""")[0]
    figures = workload.verify(expected_failed_deliveries=len(failed))
    figures.update({
        "faults_injected": 3, "smtp_down_s": smtp_down, "webhook_500_s": hook_error, "webhook_hang_s": hook_hang,
        "recovered_after_smtp_back_s": round(recovered_in, 1),
        "deliveries_retried_then_delivered": int(retried[1]), "most_attempts_of_a_delivered_delivery": int(retried[0] or 0),
        "most_errors_on_one_delivery_job": int(gaps[0] or 0),
        "permanent_failures": len(failed), "dead_letters_listed_by_fwactl": sum(1 for job_id, _ in dead if job_id in listed.stdout.split()),
        "webhook_attempts_answered_500": sum(1 for h in system.hooks.received if h["status"] == 500),
        "webhook_attempts_hung": sum(1 for h in system.hooks.received if h["mode"] == "timeout" and h["status"] == 200),
        "seconds": round(time.monotonic() - started, 1), "peak_rss_bytes": system.peak_rss(),
    })
    record("delivery_outages", figures)
    rejected_emails = {f"reject.o{i}@" for i in range(1, 4)}
    assert sorted(r[0] for r in failed if r[0] == "webhook") == ["webhook"] * len(poisoned), failed
    assert all(r[2] in poisoned for r in failed if r[0] == "webhook")
    email_failures = [r for r in failed if r[0] == "email"]
    assert email_failures and all(any(r[1].startswith(p) for p in rejected_emails) and "550" in r[3] for r in email_failures), email_failures
    assert {r[2] for r in email_failures} == set(rejected)
    assert len(dead) == len(failed) and figures["dead_letters_listed_by_fwactl"] == len(dead), listed.stdout
    assert figures["deliveries_retried_then_delivered"] > 0
    assert figures["webhook_attempts_answered_500"] > 0 and figures["webhook_attempts_hung"] > 0
    assert_clean(figures)


def test_graceful_shutdown_under_load(make_system):
    """SIGTERM each service (the intake too) while requests flow; each must exit 0 within its
    grace period plus a margin, release what it holds (nothing is rescued), and lose nothing."""
    requests, rounds = size("FWA_REL_SIGTERM_REQUESTS", 200), size("FWA_REL_SIGTERM_ROUNDS", 2)
    grace = 5.0
    system = make_system({**FAULT_SETTINGS, "FWA_RESCUE_AFTER": "30"})
    keys = system.apply_tenants()
    workload = Workload(system, keys, label="t")
    started = time.monotonic()
    driver = workload.run(requests, timeout=size("FWA_REL_TIMEOUT", 1200.0))
    stops = []
    for round_ in range(rounds):
        for name in ["intake"] + WORKERS:
            if not driver.is_alive():
                break
            service = system.services[name]
            held = running_jobs(system, service.pid) if name != "intake" else 0
            seconds, code = service.terminate(timeout=grace + 30)
            stops.append({"service": name, "seconds": round(seconds, 2), "exit": code, "held_jobs": held})
            service.start(wait_ready=True)
            time.sleep(1.0)
    driver.join(timeout=size("FWA_REL_TIMEOUT", 1200.0))
    workload.settle()
    figures = workload.verify()
    figures.update({
        "faults_injected": len(stops), "stops": stops, "shutdown_grace_s": grace,
        "slowest_stop_s": max((s["seconds"] for s in stops), default=None),
        "decisions": workload.decisions_posted,
        "seconds": round(time.monotonic() - started, 1), "peak_rss_bytes": system.peak_rss(),
    })
    record("graceful_shutdown", figures)
    assert len(stops) >= 4
    assert all(s["exit"] == 0 for s in stops), stops
    assert all(s["seconds"] <= grace + 5 for s in stops), stops
    assert figures["jobs_rescued"] == 0, "a SIGTERM left jobs running for the rescuer"
    assert_clean(figures)
