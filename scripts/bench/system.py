"""The whole system under load, as separate processes (issue 7, benchmarks 5, 6 and 8); run by
scripts/bench-system. Starts a throwaway PostgreSQL (scripts/pg, default durability), the SMTP
sink with receipt timestamps, the four services from BIN, applies the five seed tenants through
the API, then RUNS times:

  pgbench  INSERT+notify (scripts/bench/insert_notify.sql) at 1, 8 and 32 clients, the limit;
  submit-sql  pgbench with scripts/bench/submit.sql: the SQL of one submit, the database's limit
           for the intake's own work;
  intake   wrk with scripts/bench/submit.lua at 1, 8 and 32 connections: submits/s, p50/p99;
  e2e      an open-loop client at 10 and 100 requests/s: POST returned -> the first approver's
           email accepted by the SMTP sink, p50/p99;
  memory   VmRSS of each service idle, and its peak (VmHWM, reset through /proc/PID/clear_refs
           before each measurement) during every intake and e2e measurement.

During every measurement a sampler reads /proc: CPU used by processes that are not part of the
benchmark (not the harness's children, not PostgreSQL) is recorded as other_cpu_cores and a
warning names the biggest users. Writes one JSON object per line to OUT."""
import argparse
import datetime
import hashlib
import http.client
import json
import os
import pathlib
import queue
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "bench-operator-token-8Rz2Kw5Jm7Qx"
IDP_SECRET = "bench-idp-hs256-secret-0123456789abcdef"
ISSUER = "https://idp.bench.example"
AUDIENCE = "flexwork-bench"
LINK_SECRET = "bench-action-link-key-6Nb3Vh9Ts2Pw7Lk4Gd8Xq"
SERVICES = ["intake", "approval-router", "compliance-checker", "notifier"]
TICK = os.sysconf("SC_CLK_TCK")


def log(message):
    print(f"bench-system: {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, timeout=60.0, interval=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise RuntimeError(f"timed out waiting for {what}")


def percentile(values, p):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, int(-(-p * len(ordered) // 100)))
    return ordered[min(rank, len(ordered)) - 1]


# --- /proc -----------------------------------------------------------------------------------

def proc_stat(pid):
    """(comm, ppid, utime+stime ticks, starttime ticks) of a process, or None."""
    try:
        text = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return comm, int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[19])


def status_kb(pid, key):
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def top_mappings(pid, count=8):
    """The mappings of a process with the most resident memory: {path or [anon]: kB}."""
    sizes, current = {}, None
    try:
        for line in pathlib.Path(f"/proc/{pid}/smaps").read_text().splitlines():
            head = line.split()
            if head and not head[0].endswith(":"):
                current = head[5] if len(head) > 5 else "[anon]"
            elif head and head[0] == "Rss:":
                sizes[current] = sizes.get(current, 0) + int(head[1])
    except OSError:
        return {}
    return dict(sorted(sizes.items(), key=lambda kv: -kv[1])[:count])


def busy_ticks():
    fields = pathlib.Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return int(fields[0]) + int(fields[1]) + int(fields[2])  # user + nice + system


def loadavg():
    return float(pathlib.Path("/proc/loadavg").read_text().split()[0])


class Sampler(threading.Thread):
    """Samples /proc every 0.25 s while a measurement runs: CPU of our processes and of the
    others, and the RSS of each service."""

    def __init__(self, roots, services):
        super().__init__(daemon=True)
        self.roots, self.services = set(roots), services
        self.stop_event = threading.Event()
        self.rss_peak = {name: 0 for name in services}
        self.first, self.last, self.info = {}, {}, {}

    def snapshot(self):
        stats = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                stat = proc_stat(int(entry))
                if stat:
                    stats[int(entry)] = stat
        return stats

    def ours(self, pid, stats):
        seen = 0
        while pid in stats and seen < 64:
            if pid in self.roots:
                return True
            pid = stats[pid][1]
            seen += 1
        return pid in self.roots

    def sample(self, initial=False):
        stats = self.snapshot()
        for pid, (comm, _, ticks, start) in stats.items():
            if pid not in self.first:
                # A process that started during the measurement counts from zero.
                self.first[pid] = ticks if initial or start < self.start_ticks else 0
            self.last[pid] = ticks
            self.info[pid] = (comm, self.ours(pid, stats))
        for name, pid in self.services.items():
            rss = status_kb(pid, "VmRSS")
            if rss:
                self.rss_peak[name] = max(self.rss_peak[name], rss)

    def run(self):
        while not self.stop_event.wait(0.25):
            self.sample()

    def __enter__(self):
        uptime = float(pathlib.Path("/proc/uptime").read_text().split()[0])
        self.start_ticks = int(uptime * TICK)
        self.started, self.busy0, self.load0 = time.monotonic(), busy_ticks(), loadavg()
        self.sample(initial=True)
        self.start()
        return self

    def __exit__(self, *_):
        self.stop_event.set()
        self.join()
        self.sample()
        elapsed = time.monotonic() - self.started
        total = busy_ticks() - self.busy0
        ours = sum(self.last[p] - self.first[p] for p in self.last if self.info[p][1])
        others = {}
        for pid in self.last:
            if not self.info[pid][1]:
                comm = self.info[pid][0]
                others[comm] = others.get(comm, 0) + self.last[pid] - self.first[pid]
        other_ticks = max(0, total - ours)
        self.result = {
            "load_before": self.load0,
            "cpu_cores_total": round(total / TICK / elapsed, 3),
            "cpu_cores_ours": round(ours / TICK / elapsed, 3),
            "other_cpu_cores": round(other_ticks / TICK / elapsed, 3),
        }
        top = sorted(((t, c) for c, t in others.items() if t > 0), reverse=True)[:4]
        # The load average lags by minutes and counts this benchmark's own previous measurement, so
        # the warning rests on the CPU that other processes used during this one.
        if self.result["other_cpu_cores"] > 0.1:
            names = ", ".join(f"{c} {t / TICK / elapsed:.2f}" for t, c in top) or "short-lived processes"
            log(f"warning: another process is using the CPU during this run: {self.result['other_cpu_cores']:.2f} cores "
                f"not ours (top: {names}); load average before {self.load0:.2f}")
            self.result["other_top"] = names


# --- the system ------------------------------------------------------------------------------

class System:
    def __init__(self, bin_dir, work, services=SERVICES):
        self.bin, self.work, self.services = pathlib.Path(bin_dir), work, services
        self.processes, self.pids, self.name = [], {}, f"bench-sys-{os.getpid()}"

    def start(self):
        exports = subprocess.check_output([str(ROOT / "scripts/pg"), "start", self.name], cwd=ROOT, text=True)
        env = dict(os.environ)
        for line in exports.splitlines():
            for assignment in line.removeprefix("export ").split(" "):
                key, _, value = assignment.partition("=")
                env[key] = value.strip("'")
        self.env = env
        base = pathlib.Path(f"/tmp/fwa-pg-{self.name}" if os.geteuid() == 0 else ROOT / f".fwa/pg-{self.name}")
        self.postmaster = int((base / "data/postmaster.pid").read_text().split()[0])
        self.mail = self.work / "mail"
        self.stamps = self.work / "smtp-timestamps.jsonl"
        smtp_port = free_port()
        self.spawn("smtp-sink", [str(ROOT / "scripts/smtp-sink"), "--timestamps", str(self.stamps), str(smtp_port), str(self.mail)], env)
        wait_until(lambda: (self.mail / ".ready").exists(), what="the SMTP sink")
        subprocess.run([str(self.bin / "fwactl"), "migrate"], env=env, check=True, capture_output=True)
        ports = {service: free_port() for service in self.services}
        self.base = f"http://127.0.0.1:{ports['intake']}"
        # The load comes from one address and one key: rate limits far above it unless the caller
        # sets them (FWA_RATE_LIMIT_PER_CLIENT=0 ... turns them off, for the on/off comparison).
        limits = {"FWA_RATE_LIMIT_PER_CLIENT": "1000000", "FWA_RATE_LIMIT_PER_KEY": "1000000", "FWA_MAX_CONNECTIONS_PER_CLIENT": "4096"}
        service_env = {**limits, **env, "FWA_ADMIN_TOKEN": ADMIN_TOKEN, "FWA_ACTION_LINK_SECRET": LINK_SECRET, "LOG_FORMAT": "json",
                       "LOG_LEVEL": "info", "FWA_PUBLIC_URL": self.base, "FWA_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}"}
        # Every service under its own least-privilege login, as deployed (scripts/pg logins).
        subprocess.run([str(ROOT / "scripts/pg"), "logins", self.name], cwd=ROOT, check=True, capture_output=True)
        for service, port in ports.items():
            login = "flexwork_" + service.replace("-", "_")
            url = subprocess.check_output([str(ROOT / "scripts/pg"), "url", self.name, login], cwd=ROOT, text=True).strip()
            self.pids[service] = self.spawn(service, [str(self.bin / service)],
                                            {**service_env, "FWA_HTTP_PORT": str(port), "PGUSER": login, "DATABASE_URL": url})
        for service, port in ports.items():
            wait_until(lambda: ready(port), what=f"{service} ready")
        self.keys = self.apply_tenants()

    def spawn(self, name, argv, env):
        out = open(self.work / f"{name}.log", "w")
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        self.processes.append(process)
        return process.pid

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        subprocess.run([str(ROOT / "scripts/pg"), "destroy", self.name], cwd=ROOT, capture_output=True)

    def call(self, method, path, body=None, token=None):
        request = urllib.request.Request(self.base + path, data=None if body is None else json.dumps(body).encode(), method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def apply_tenants(self):
        keys = {}
        for path in sorted((ROOT / "deploy/tenants").glob("*.yaml")):
            policy = yaml.safe_load(path.read_text())
            for role in policy.get("roles", []):
                role.pop("webhook_url", None)  # no webhook receiver in the benchmark: email only
            tenant = policy["id"]
            for method, sub, body in [("PUT", "", policy), ("PUT", "/identity", {"issuer": ISSUER, "audience": AUDIENCE, "hs256_secret": IDP_SECRET}),
                                      ("POST", "/api-keys", {"name": "bench", "scopes": ["requests:write", "requests:read"]})]:
                status, answer = self.call(method, f"/v1/tenants/{tenant}{sub}", body, token=ADMIN_TOKEN)
                if status not in (200, 201):
                    raise RuntimeError(f"{method} /v1/tenants/{tenant}{sub}: {status} {answer}")
            keys[tenant] = answer["secret"]
        return keys

    def psql(self, sql):
        return subprocess.check_output(["psql", "-qAtX", "-c", sql], env=self.env, text=True).strip()

    def drain(self, timeout=300):
        """Waits until no job is due or running (the services have caught up); nothing to wait for
        when the workers are not all running."""
        if set(SERVICES) - set(self.services):
            return
        sql = ("SELECT count(*) FROM fwa_jobs WHERE queue NOT LIKE 'pgbench%' AND "
               "(state = 'running' OR (state = 'available' AND run_at <= now()))")
        wait_until(lambda: self.psql(sql) == "0", timeout=timeout, interval=0.5, what="the queues to drain")

    def reset_peaks(self):
        for pid in self.pids.values():
            try:
                pathlib.Path(f"/proc/{pid}/clear_refs").write_text("5")
            except OSError as error:
                log(f"cannot reset the peak RSS of {pid}: {error}")

    def peaks(self, sampler):
        return {name: {"vmhwm_kb": status_kb(pid, "VmHWM"), "sampled_rss_peak_kb": sampler.rss_peak[name]}
                for name, pid in self.pids.items()}

    def sampler(self):
        return Sampler([os.getpid(), self.postmaster], self.pids)


def ready(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
            return response.status == 200
    except Exception:
        return False


def submission(tag, start, end):
    return {"employee": {"email": f"emp-{tag}@example.edu", "name": "Pat Doe", "department": "physics",
                         "employee_class": "administrative", "exempt": True, "months_employed": 30,
                         "last_rating": "meets_expectations", "covered_by_collective_agreement": False},
            "supervisor_email": f"sup-{tag}@example.edu", "arrangement_type": "hybrid", "remote_days_per_week": 2,
            "location": {"country": "US", "region": "MA"}, "start_date": start, "end_date": end,
            "justification": "Lab work Mon-Wed, analysis at home.",
            "attestations": {"no_regular_dependent_care": True, "free_from_distractions": True}}


# --- the measurements ------------------------------------------------------------------------

def notify_inside(submit_sql):
    """scripts/bench/submit.sql as the intake sent it before the wake-up moved after the COMMIT: the
    pg_notify inside the submit's transaction, so its durable COMMIT holds PostgreSQL's notification
    lock (one such commit at a time in the cluster). For comparison (--parts submit-sql-inside)."""
    wake = "BEGIN;\nSET LOCAL synchronous_commit TO off;\nSELECT pg_notify('fwa_jobs_pgbench_submit', '');\nCOMMIT;\n"
    if wake not in submit_sql:
        raise RuntimeError("scripts/bench/submit.sql no longer ends with its wake-up transaction")
    return submit_sql.replace(wake, "").replace("COMMIT;\n\\endpipeline", "SELECT pg_notify('fwa_jobs_pgbench_submit', '');\nCOMMIT;\n\\endpipeline")


def run_pgbench(system, clients, seconds, script="insert_notify"):
    """pgbench at `clients`: insert_notify (one INSERT into fwa_jobs + pg_notify per transaction) or
    submit (scripts/bench/submit.sql: the SQL of one intake submit in its five round trips)."""
    pgbench = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin/pgbench"))[-1]
    queue = {"insert_notify": "pgbench_enqueue", "submit": "pgbench_submit", "submit_notify_inside": "pgbench_submit"}[script]
    extra = (["-M", "prepared", "-D", "keyhash=" + hashlib.sha256(system.keys["mit"].encode()).hexdigest()]
             if script.startswith("submit") else [])
    path = ROOT / f"scripts/bench/{script}.sql"
    if script == "submit_notify_inside":
        path = system.work / "submit_notify_inside.sql"
        path.write_text(notify_inside((ROOT / "scripts/bench/submit.sql").read_text()))
    system.psql(f"DELETE FROM fwa_jobs WHERE queue = '{queue}'")
    with system.sampler() as sampler:
        completed = subprocess.run([str(pgbench), "-n", "-c", str(clients), "-j", str(min(clients, 2)), "-T", str(seconds), *extra,
                                    "-f", str(path)], env=system.env, capture_output=True, text=True)
    output = completed.stdout
    if completed.returncode != 0 or "error" in completed.stderr:
        raise RuntimeError(f"pgbench {script} at {clients} clients failed: {completed.stderr.strip()}")
    tps = next(float(l.split()[2]) for l in output.splitlines() if l.startswith("tps"))
    latency = next((float(l.split()[3]) for l in output.splitlines() if l.startswith("latency average")), None)
    system.psql(f"DELETE FROM fwa_jobs WHERE queue = '{queue}'")
    return {"benchmark": "pgbench", "script": script, "clients": clients, "tps": tps, "latency_avg_ms": latency, **sampler.result}


def run_intake(system, connections, seconds, tag, dates):
    system.drain()
    system.reset_peaks()
    prefix = f"{tag}c{connections}"
    with system.sampler() as sampler:
        output = subprocess.run(["wrk", "-c", str(connections), "-t", str(min(connections, 2)), "-d", f"{seconds}s", "--timeout", "10s",
                                 "-s", str(ROOT / "scripts/bench/submit.lua"), system.base, "--", "mit", system.keys["mit"], prefix, *dates],
                                capture_output=True, text=True, check=True).stdout
    result = json.loads(next(l for l in output.splitlines() if l.startswith("{")))
    stored = int(system.psql(f"SELECT count(*) FROM requests WHERE employee_email LIKE 'emp-{prefix}-%'"))
    seconds_run = result["duration_us"] / 1e6
    errors = sum(v for k, v in result.items() if k.startswith("errors_"))
    if errors:
        log(f"warning: intake at {connections} connections: {errors} errors ({result})")
    return {"benchmark": "intake", "connections": connections, "submits_per_s": round(result["requests"] / seconds_run, 1),
            "stored_per_s": round(stored / seconds_run, 1), "requests": result["requests"], "stored": stored, "errors": errors,
            "p50_ms": result["latency_p50_us"] / 1000, "p90_ms": result["latency_p90_us"] / 1000, "p99_ms": result["latency_p99_us"] / 1000,
            "max_ms": result["latency_max_us"] / 1000, "mean_ms": round(result["latency_mean_us"] / 1000, 3),
            "memory": system.peaks(sampler), **sampler.result}


def run_e2e(system, rate, seconds, tag, dates):
    """Open loop: request i is sent at t0 + i/rate (or as soon as a sender is free)."""
    system.drain()
    system.reset_peaks()
    count = int(rate * seconds)
    key, host, port = system.keys["mit"], "127.0.0.1", int(system.base.rsplit(":", 1)[1])
    work = queue.Queue()
    for i in range(count):
        work.put(i)
    sent = {}  # i -> (request id, supervisor, POST start ns, POST return ns, status)
    t0 = time.monotonic() + 0.2

    def sender():
        connection = http.client.HTTPConnection(host, port, timeout=30)
        while True:
            try:
                i = work.get_nowait()
            except queue.Empty:
                return
            delay = t0 + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            label = f"{tag}r{rate}-{i}"
            body = json.dumps(submission(label, *dates))
            began = time.time_ns()
            connection.request("POST", "/v1/tenants/mit/requests", body, {"Content-Type": "application/json", "Authorization": f"Bearer {key}",
                                                                       "Idempotency-Key": label})
            response = connection.getresponse()
            answer = response.read()
            returned = time.time_ns()
            request_id = json.loads(answer)["id"] if response.status == 202 else None
            sent[i] = (request_id, f"sup-{label}@example.edu", began, returned, response.status)

    with system.sampler() as sampler:
        threads = [threading.Thread(target=sender) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        send_end = time.monotonic()
        wanted = {v[0]: v for v in sent.values() if v[0]}

        def received():
            stamps = {}
            if system.stamps.exists():
                for line in system.stamps.read_text().splitlines():
                    row = json.loads(line)
                    request = wanted.get(row["request_id"])
                    if request and request[1] in row["to"] and row["request_id"] not in stamps:
                        stamps[row["request_id"]] = row["accepted_ns"]
            return stamps

        try:
            stamps = wait_until(lambda: (lambda s: s if len(s) == len(wanted) else None)(received()), timeout=120, interval=0.5,
                                what="every first approver's email")
        except RuntimeError:
            stamps = received()
            log(f"warning: e2e at {rate}/s: {len(wanted) - len(stamps)} of {len(wanted)} first-approver emails missing after 120 s")
    latencies = [(stamps[rid] - v[3]) / 1e6 for rid, v in wanted.items() if rid in stamps]
    posts = [(v[3] - v[2]) / 1e6 for v in sent.values()]
    achieved = count / (send_end - t0)
    stages = e2e_stages(system, {rid: v[3] for rid, v in wanted.items() if rid in stamps}, stamps)
    return {"benchmark": "e2e", "rate": rate, "requests": count, "accepted": len(wanted), "emails": len(stamps),
            "achieved_rate": round(achieved, 1),
            "p50_ms": round(percentile(latencies, 50), 2), "p90_ms": round(percentile(latencies, 90), 2),
            "p99_ms": round(percentile(latencies, 99), 2), "max_ms": round(max(latencies), 2),
            "post_p50_ms": round(percentile(posts, 50), 2), "post_p99_ms": round(percentile(posts, 99), 2),
            "stages": stages, "memory": system.peaks(sampler), **sampler.result}


# The hops of one request's first email, each ending when the next worker claimed its job
# (fwa_jobs.attempted_at, the claiming statement's now()); the last ends when the SMTP sink accepted.
STAGES = [("POST returned → routing job claimed", None, "routing"),
          ("routing job claimed → notification job claimed", "routing", "notification"),
          ("notification job claimed → email job claimed", "notification", "email"),
          ("email job claimed → SMTP sink accepted", "email", None)]


def e2e_stages(system, returned_ns, accepted_ns):
    """Where each request's end-to-end time went: the p50 and p90 of each hop (STAGES), from the
    claim times the queue records. Clocks: the client's time.time_ns() and PostgreSQL's now() on
    the same machine."""
    if not returned_ns:
        return {}
    ids = ",".join(f"'{rid}'" for rid in returned_ns)
    rows = system.psql(f"""
        SELECT r.id, extract(epoch FROM rj.attempted_at) * 1e9, extract(epoch FROM nj.attempted_at) * 1e9,
               extract(epoch FROM dj.attempted_at) * 1e9
          FROM requests r
          JOIN fwa_jobs rj ON rj.kind = 'request.submitted' AND rj.payload->>'request_id' = r.id::text AND rj.attempt = 1
          JOIN fwa_jobs nj ON nj.kind = 'notification.send' AND lower(nj.payload->>'request_id') = r.id::text
                          AND nj.payload->>'kind' = 'step_opened' AND nj.attempt = 1
          JOIN deliveries d ON d.request_id = r.id AND d.kind = 'step_opened' AND d.channel = 'email'
          JOIN fwa_jobs dj ON dj.kind = 'delivery.email' AND dj.payload->>'delivery_id' = d.id::text AND dj.attempt = 1
         WHERE r.id IN ({ids})""")
    hops = {name: [] for name, _, _ in STAGES}
    for line in rows.splitlines():
        rid, *claims = line.split("|")
        times = {"routing": float(claims[0]), "notification": float(claims[1]), "email": float(claims[2])}
        for name, start, end in STAGES:
            begin = returned_ns[rid] if start is None else times[start]
            finish = accepted_ns[rid] if end is None else times[end]
            hops[name].append((finish - begin) / 1e6)
    return {name: {"p50_ms": round(percentile(v, 50), 2), "p90_ms": round(percentile(v, 90), 2), "requests": len(v)}
            for name, v in hops.items() if v}


def run_profile(system, connections, seconds, tag, dates):
    """Where the time goes during an intake measurement: `perf record -a` (every process, 499 Hz)
    and pg_stat_activity sampled every 50 ms (what active backends wait on). Writes perf.data and
    the reports to the work folder; returns the shares."""
    system.drain()
    work = system.work
    watch = subprocess.Popen(["psql", "-qAtX"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=system.env)
    watch.stdin.write("SELECT 'S|' UNION ALL SELECT 'W|' || coalesce(wait_event_type, 'CPU') || '|' || coalesce(wait_event, '-') FROM pg_stat_activity "
                      "WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid() \\watch 0.05\n")
    watch.stdin.flush()
    perf = subprocess.Popen(["perf", "record", "-a", "-F", "499", "-o", str(work / "perf.data"), "--", "sleep", str(seconds)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result = run_intake(system, connections, seconds, f"{tag}prof", dates)
    perf.wait()
    watch.terminate()
    waits, samples = {}, 0
    for line in watch.stdout.read().splitlines():
        samples += line.startswith("S|")
        if line.startswith("W|"):
            waits[line[2:]] = waits.get(line[2:], 0) + 1
    total = sum(waits.values()) or 1
    names = {pid: name for name, pid in system.pids.items()}
    by_process, samples_total = {}, 0
    script = subprocess.run(["perf", "script", "-i", str(work / "perf.data"), "-F", "pid,tid,comm"], capture_output=True, text=True).stdout
    for line in script.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        pid = int(parts[-1].split("/")[0])
        comm = " ".join(parts[:-1])
        name = names.get(pid) or ("postgres" if comm.startswith("postgres") else "idle" if comm == "swapper" else comm)
        by_process[name] = by_process.get(name, 0) + 1
        samples_total += 1
    comms = {k: round(100 * v / max(1, samples_total), 1) for k, v in sorted(by_process.items(), key=lambda kv: -kv[1])[:12]}
    for name, pid in [*system.pids.items(), ("postgres", None)]:
        selector = ["--pid", str(pid)] if pid else ["--comms", "postgres"]
        report = subprocess.run(["perf", "report", "-i", str(work / "perf.data"), "--stdio", "--no-children", "--percentage", "relative", *selector,
                                 "--sort", "dso,sym", "--percent-limit", "0.5"], capture_output=True, text=True).stdout
        (work / f"perf-{name}.txt").write_text(report)
    return {**result, "benchmark": "profile", "pg_waits_share": {k: round(v / total, 3) for k, v in sorted(waits.items(), key=lambda kv: -kv[1])},
            "pg_samples": samples, "pg_active_backends_avg": round(sum(waits.values()) / max(1, samples), 2), "perf_by_comm": comms}


def settings(system):
    names = ["server_version", "fsync", "synchronous_commit", "wal_sync_method", "full_page_writes", "shared_buffers",
             "max_connections", "wal_level", "commit_delay", "max_wal_size"]
    values = system.psql("SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ';') FROM pg_settings WHERE name IN ("
                         + ",".join(f"'{n}'" for n in names) + ")")
    return dict(item.split("=", 1) for item in values.split(";"))


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in pathlib.Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), "?")
    memory = pathlib.Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {"cores": os.cpu_count(), "cpu": cpu, "kernel": os.uname().release, "memory_gb": round(int(memory) / 1048576, 1)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--parts", default="pgbench,intake,e2e", help="pgbench,submit-sql,submit-sql-inside,intake,e2e,profile")
    parser.add_argument("--seconds", type=int, default=10, help="each pgbench and wrk measurement")
    parser.add_argument("--e2e-seconds", type=int, default=20)
    parser.add_argument("--connections", default="1,8,32")
    parser.add_argument("--rates", default="10,100")
    parser.add_argument("--services", default=",".join(SERVICES), help="which services to start (intake is always needed)")
    parser.add_argument("--keep", action="store_true", help="leave the system running at the end until Ctrl-C (for perf)")
    args = parser.parse_args()
    parts, connections, rates = args.parts.split(","), [int(c) for c in args.connections.split(",")], [int(r) for r in args.rates.split(",")]
    today = datetime.date.today()
    dates = (str(today + datetime.timedelta(days=30)), str(today + datetime.timedelta(days=120)))
    work = pathlib.Path(os.environ.get("BENCH_WORK") or subprocess.check_output(["mktemp", "-d", "/tmp/fwa-bench-XXXXXX"], text=True).strip())
    work.mkdir(parents=True, exist_ok=True)
    out = open(args.out, "a", buffering=1)

    def emit(row):
        out.write(json.dumps(row) + "\n")
        log(json.dumps({k: v for k, v in row.items() if k != "memory"}))

    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    system = System(args.bin, work, args.services.split(","))
    try:
        system.start()
        emit({"benchmark": "setup", "services": system.services, "machine": machine(), "postgres": settings(system), "bin": args.bin, "work": str(work),
              "load_before": loadavg(), "pids": system.pids})
        time.sleep(5)
        emit({"benchmark": "memory_idle", "memory": {name: {key.lower() + "_kb": status_kb(pid, key) for key in ["VmRSS", "VmHWM", "RssAnon", "RssFile", "RssShmem"]}
                                                     | {"top_mappings_kb": top_mappings(pid)} for name, pid in system.pids.items()}})
        # Warm-up: connections, caches, the tenant's engine.
        if "intake" in parts or "e2e" in parts:
            subprocess.run(["wrk", "-c", "2", "-t", "1", "-d", "2s", "-s", str(ROOT / "scripts/bench/submit.lua"), system.base, "--", "mit",
                            system.keys["mit"], "warmup", *dates], capture_output=True, check=True)
            system.drain()
        for run in range(1, args.runs + 1):
            tag = f"{os.getpid()}x{run}"
            if "pgbench" in parts:
                for clients in connections:
                    emit({"run": run, **run_pgbench(system, clients, args.seconds)})
            if "submit-sql" in parts:
                for clients in connections:
                    emit({"run": run, **run_pgbench(system, clients, args.seconds, "submit")})
            if "submit-sql-inside" in parts:
                for clients in connections:
                    emit({"run": run, **run_pgbench(system, clients, args.seconds, "submit_notify_inside")})
            if "intake" in parts:
                for c in connections:
                    emit({"run": run, **run_intake(system, c, args.seconds, tag, dates)})
            if "e2e" in parts:
                for rate in rates:
                    emit({"run": run, **run_e2e(system, rate, args.e2e_seconds, tag, dates)})
        if "profile" in parts:
            for c in connections:
                emit(run_profile(system, c, args.seconds, f"{os.getpid()}p", dates))
        system.drain()
        time.sleep(5)
        emit({"benchmark": "memory_after", "memory": {name: {"vmrss_kb": status_kb(pid, "VmRSS")} for name, pid in system.pids.items()}})
        if args.keep:
            log(f"the system is running: intake {system.base}, key {system.keys['mit']}, pids {system.pids}, env in {work}; Ctrl-C stops it")
            (work / "env.json").write_text(json.dumps({"base": system.base, "key": system.keys["mit"], "pids": system.pids,
                                                       "pg": {k: v for k, v in system.env.items() if k.startswith("PG")}}))
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        system.stop()
        log(f"logs kept in {work}")


if __name__ == "__main__":
    main()
