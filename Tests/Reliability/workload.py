"""A workload driven through the public API, and the checks that prove nothing was lost or done
twice. Requests are spread round-robin over the five seed tenants (the end-to-end scenarios, each
with its own employee); every tenth is denied at its first step, the others approved step by step
by each step's approver (a verified user token), as the open steps appear in the database."""
import collections
import concurrent.futures
import copy
import threading
import time

from harness import wait_until
from scenarios import SCENARIOS, started

TENANTS = sorted(SCENARIOS)
FINAL = {"active", "approved", "denied"}


class Workload:
    def __init__(self, system, keys, tenants=TENANTS, deny_every=10, threads=6, label="w"):
        self.system, self.keys, self.tenants = system, keys, tenants
        self.deny_every, self.threads, self.label = deny_every, threads, label
        self.requests = {}           # id -> {"tenant", "expected", "index"}
        self.lock = threading.Lock()
        self.submitted = 0
        self.submit_done = threading.Event()
        self.stop = threading.Event()
        self.decisions_posted = 0
        self.decision_conflicts = 0
        self.client_retries = 0
        self.errors = []

    # ---- submission

    def body(self, tenant: str, index: int, reject_employee=False) -> dict:
        body = copy.deepcopy(SCENARIOS.get(tenant, SCENARIOS["rutgers"])["request"])
        domain = body["employee"]["email"].split("@")[1]
        local = f"reject.{self.label}{index}" if reject_employee else f"{self.label}{index}.{tenant}"
        body["employee"]["email"] = f"{local}@{domain}"
        body["employee"]["name"] = f"Worker {index}"
        return body

    def expected(self, tenant: str, index: int, start: str) -> str:
        if self.deny_every and index % self.deny_every == 0:
            return "denied"
        return "active" if started(tenant if tenant in SCENARIOS else "rutgers", start) else "approved"

    def submit_one(self, index: int, tenant=None, reject_employee=False):
        tenant = tenant or self.tenants[index % len(self.tenants)]
        key = f"{self.label}-submit-{index}"
        started = time.time()
        request = self.body(tenant, index, reject_employee)
        status, body, _ = self.system.api.call_retrying("POST", f"/v1/tenants/{tenant}/requests", request,
                                                        token=self.keys[tenant], headers={"Idempotency-Key": key})
        if status != 202:
            self.errors.append(f"submit {index}: {status} {body}")
            return None
        with self.lock:
            self.requests[body["id"]] = {"tenant": tenant, "expected": self.expected(tenant, index, request["start_date"]),
                                         "index": index, "sent_at": started}
            self.submitted += 1
        return body["id"]

    def submit(self, count: int, start=0, rate=None):
        """Submits `count` requests (at most `rate` per second when given), on `threads` threads."""
        with concurrent.futures.ThreadPoolExecutor(self.threads) as pool:
            futures = []
            began = time.monotonic()
            for offset in range(count):
                if self.stop.is_set():
                    break
                if rate:
                    delay = began + offset / rate - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                futures.append(pool.submit(self.submit_one, start + offset))
            for future in futures:
                try:
                    future.result()
                except Exception as error:  # noqa: BLE001 - recorded, checked by the test
                    self.errors.append(f"submit: {error}")

    # ---- approvals

    def open_steps(self):
        return self.system.db.query("""
            SELECT s.request_id, s.idx, s.approver_email, r.tenant_id FROM request_steps s JOIN requests r ON r.id = s.request_id
             WHERE s.status = 'open' ORDER BY s.opened_at LIMIT 2000""")

    def decide(self, request_id, idx, approver, tenant):
        meta = self.requests.get(request_id)
        if meta is None:
            return
        deny = meta["expected"] == "denied"
        body = {"step": int(idx), "decision": "deny", "reason": "Not this term (reliability test)."} if deny else {"step": int(idx), "decision": "approve"}
        status, answer, _ = self.system.api.call_retrying("POST", f"/v1/tenants/{tenant}/requests/{request_id}/decisions", body,
                                                          token=self.keys[tenant], acting=approver,
                                                          headers={"Idempotency-Key": f"{self.label}-decide-{request_id}-{idx}"})
        with self.lock:
            if status == 200:
                self.decisions_posted += 1
            elif status == 409:
                self.decision_conflicts += 1
            else:
                self.errors.append(f"decide {request_id}/{idx}: {status} {answer}")

    def approve_loop(self, timeout: float):
        """Decides open steps until every submitted request is final (or `timeout`)."""
        deadline = time.monotonic() + timeout
        asked = {}
        with concurrent.futures.ThreadPoolExecutor(self.threads) as pool:
            while time.monotonic() < deadline and not self.stop.is_set():
                try:
                    steps = self.open_steps()
                except RuntimeError:
                    time.sleep(0.5)   # the database may be restarting
                    continue
                now = time.monotonic()
                batch = [s for s in steps if s[0] in self.requests and asked.get((s[0], s[1]), 0) < now - 10]
                for request_id, idx, approver, tenant in batch:
                    asked[(request_id, idx)] = now
                list(pool.map(lambda s: self.decide(*s), batch))
                if self.submit_done.is_set() and not batch:
                    try:
                        if self.unfinished() == 0:
                            return True
                    except RuntimeError:
                        pass
                    time.sleep(0.3)
        return False

    def unfinished(self) -> int:
        counts = self.status_counts()
        return sum(n for status, n in counts.items() if status not in FINAL)

    def status_counts(self) -> dict:
        rows = self.system.db.query("SELECT status, count(*) FROM requests WHERE tenant_id = ANY($1::text[]) GROUP BY status",
                                    "{" + ",".join(self.tenants) + "}")
        return {status: int(n) for status, n in rows}

    def run(self, count: int, rate=None, timeout=900.0, start=0):
        """Submits and approves `count` requests in the background; returns the thread."""
        def body():
            submitter = threading.Thread(target=lambda: (self.submit(count, start=start, rate=rate), self.submit_done.set()), daemon=True)
            submitter.start()
            self.finished = self.approve_loop(timeout)
            submitter.join(timeout=60)
        self.finished = False
        thread = threading.Thread(target=body, daemon=True)
        thread.start()
        return thread

    # ---- checks

    def settle(self, timeout=300.0):
        """Waits until no job is due or running (scheduled reminders, reviews and expiries stay
        in the future) and no delivery is pending."""
        def quiet():
            due = self.system.db.scalar("SELECT count(*) FROM fwa_jobs WHERE state IN ('available', 'running') AND run_at <= now()")
            pending = self.system.db.scalar("SELECT count(*) FROM deliveries WHERE status = 'pending'")
            return due == "0" and pending == "0"
        wait_until(quiet, timeout=timeout, interval=0.5, what="the queues to drain")

    def verify(self, expected_failed_deliveries=0) -> dict:
        """Every guarantee of the issue, as counts; `problems` lists what is wrong."""
        db = self.system.db
        problems = []
        statuses = dict(db.query("SELECT id, status FROM requests WHERE tenant_id = ANY($1::text[])", "{" + ",".join(self.tenants) + "}"))
        wrong = [(rid, meta["expected"], statuses.get(rid)) for rid, meta in self.requests.items() if statuses.get(rid) != meta["expected"]]
        extra_requests = len(statuses) - len(self.requests)
        opened_twice = db.query("""
            SELECT request_id, after->>'step', count(*) FROM events WHERE action = 'step_opened'
             GROUP BY 1, 2 HAVING count(*) > 1""")
        # Every opened step has exactly one audit event and one step_opened notification event.
        steps_opened = int(db.scalar("SELECT count(*) FROM request_steps WHERE opened_at IS NOT NULL"))
        audit_opened = int(db.scalar("SELECT count(*) FROM events WHERE action = 'step_opened'"))
        notified_opened = int(db.scalar("SELECT count(*) FROM notification_events WHERE kind = 'step_opened'"))
        due = int(db.scalar("SELECT count(*) FROM fwa_jobs WHERE state IN ('available', 'running') AND run_at <= now()"))
        dead = db.query("SELECT kind, count(*) FROM fwa_jobs WHERE state = 'failed' GROUP BY kind")
        deliveries = dict(db.query("SELECT channel || ':' || status, count(*) FROM deliveries GROUP BY 1"))
        delivered_ids = {row[0] for row in db.query("SELECT message_id FROM deliveries WHERE channel = 'email' AND status = 'delivered'")}
        sink_ids = self.system.smtp.message_ids()
        copies = collections.Counter(sink_ids)
        email_duplicates = sum(n - 1 for n in copies.values() if n > 1)
        emails_missing = len(delivered_ids - set(copies))
        hooks = collections.Counter(h["headers"].get("X-Flexwork-Delivery") for h in self.system.hooks.accepted())
        # A webhook answered 2xx whose delivery could not be marked before a fault is posted again
        # with the same X-Flexwork-Delivery, which receivers drop (docs/notifications.md): counted
        # apart, like an email re-sent with the same Message-ID.
        webhook_resends = sum(n - 1 for n in hooks.values() if n > 1)
        webhook_rows = {row[0] for row in db.query("SELECT id FROM deliveries WHERE channel = 'webhook' AND status = 'delivered'")}
        webhooks_missing = len(webhook_rows - set(hooks))
        # Each delivered delivery has exactly one `notified` audit event (appended after the mark,
        # with its job's completion; a retry that finds it marked but not audited appends it).
        notified_twice = int(db.scalar("""SELECT count(*) FROM (SELECT 1 FROM events WHERE action = 'notified'
                                                               GROUP BY after->>'delivery_id' HAVING count(*) > 1) d"""))
        notified_missing = int(db.scalar("""SELECT count(*) FROM deliveries d WHERE status = 'delivered' AND NOT EXISTS
                                              (SELECT 1 FROM events e WHERE e.action = 'notified' AND e.after->>'delivery_id' = d.id::text)"""))
        # The window a crash re-sends an email in: the server's 250 to the delivery's mark.
        accepted = self.system.smtp.accepted_at()
        windows = []
        for message_id, marked in db.query("""SELECT message_id, extract(epoch FROM delivered_at) FROM deliveries
                                               WHERE channel = 'email' AND status = 'delivered'"""):
            if message_id in accepted:
                windows.append((float(marked) - accepted[message_id]) * 1000)
        rescued = int(db.scalar("SELECT count(*) FROM fwa_jobs WHERE errors::text LIKE '%rescued%'"))
        jobs_total = int(db.scalar("SELECT count(*) FROM fwa_jobs"))
        failed_deliveries = sum(int(n) for k, n in deliveries.items() if k.endswith(":failed"))
        pending_deliveries = sum(int(n) for k, n in deliveries.items() if k.endswith(":pending"))
        audit_broken = []
        for tenant in self.tenants:
            result = self.system.fwactl("audit", "verify", tenant)
            if result.returncode != 0:
                audit_broken.append(tenant)
        figures = {
            "requests": len(self.requests),
            "final_states": dict(collections.Counter(statuses.get(r) for r in self.requests)),
            "wrong_final_state": len(wrong),
            "unexpected_requests": extra_requests,
            "steps_opened": steps_opened,
            "steps_opened_twice": len(opened_twice),
            "step_events_missing": steps_opened - audit_opened if steps_opened > audit_opened else 0,
            "step_notifications_missing": audit_opened - notified_opened if audit_opened > notified_opened else 0,
            "jobs": jobs_total,
            "jobs_due_not_done": due,
            "dead_letters": {kind: int(n) for kind, n in dead},
            "jobs_rescued": rescued,
            "deliveries": {k: int(v) for k, v in deliveries.items()},
            "deliveries_pending": pending_deliveries,
            "emails_received": len(sink_ids),
            "emails_missing": emails_missing,
            "email_duplicates_same_message_id": email_duplicates,
            "webhooks_accepted": sum(hooks.values()),
            "webhooks_missing": webhooks_missing,
            "webhook_resends_same_delivery_id": webhook_resends,
            "audit_chains_broken": audit_broken,
            "notified_audit_missing": notified_missing,
            "notified_audit_twice": notified_twice,
            "mark_window_ms": {"p50": round(percentile(windows, 50), 1), "p99": round(percentile(windows, 99), 1),
                               "max": round(max(windows), 1)} if windows else {},
            "client_retries_errors": len(self.errors),
        }
        if wrong:
            problems.append(f"{len(wrong)} requests in the wrong final state, e.g. {wrong[:3]}")
        if opened_twice:
            problems.append(f"steps opened twice: {opened_twice[:3]}")
        if figures["step_events_missing"] or figures["step_notifications_missing"]:
            problems.append("opened steps without their audit event or notification")
        if due:
            problems.append(f"{due} jobs due and not done")
        if failed_deliveries != expected_failed_deliveries:
            problems.append(f"{failed_deliveries} failed deliveries, expected {expected_failed_deliveries}")
        dead_total = sum(int(n) for _, n in dead)
        if dead_total != expected_failed_deliveries:
            problems.append(f"dead letters: {dead}")
        if pending_deliveries or emails_missing or webhooks_missing:
            problems.append("deliveries lost")
        if audit_broken:
            problems.append(f"audit chains broken: {audit_broken}")
        if notified_missing or notified_twice:
            problems.append(f"notified audit events: {notified_missing} missing, {notified_twice} twice")
        if self.errors:
            problems.append(f"client errors: {self.errors[:3]}")
        figures["lost"] = len(wrong) + due + pending_deliveries + emails_missing + webhooks_missing + figures["step_notifications_missing"]
        # Logical duplicates (must be 0): a step opened twice, a second delivery row for the same
        # event, channel and recipient. An email or webhook re-sent after a fault cut the window
        # between the receiver's acceptance and the delivery's mark carries the same Message-ID or
        # X-Flexwork-Delivery (docs/notifications.md, "Never twice"); those are counted apart and
        # bounded by the jobs the fault could cut (test_faults.assert_clean).
        log_duplicates = int(db.scalar("""SELECT count(*) FROM (SELECT 1 FROM deliveries GROUP BY event_key, channel, recipient
                                                             HAVING count(*) > 1) d"""))
        figures["delivery_log_duplicates"] = log_duplicates
        figures["duplicates"] = len(opened_twice) + log_duplicates
        figures["problems"] = problems
        return figures


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

