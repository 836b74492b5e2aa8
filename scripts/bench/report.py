"""Summarizes benchmark JSON lines (median and range per measure) into docs/benchmarks.md,
between the markers of the queue section, and draws docs/benchmarks-queue.png when matplotlib
is available."""
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys

rows = [json.loads(line) for line in pathlib.Path(sys.argv[1]).read_text().splitlines() if line.strip()]


def summary(values):
    return f"{statistics.median(values):,.1f} ({min(values):,.1f}–{max(values):,.1f})"


def pick(bench, key, **match):
    return [r[key] for r in rows if r["benchmark"] == bench and all(r.get(k) == v for k, v in match.items())]


def pgbench(script, clients):
    return pick("pgbench", "tps", script=script, clients=clients)


cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
lines = [
    "<!-- queue:start -->",
    f"Machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}; PostgreSQL 15 from Debian, "
    "default settings (fsync on, synchronous_commit on), unix socket. Command: `scripts/bench-queue` "
    f"({len(pick('drain', 'jobs_per_s'))} runs; median and range). Load average (1 min) before each measurement: "
    f"{summary(pick('load', 'load1')) if pick('load', 'load1') else 'not recorded'}; other engineers build on the same cores.",
    "",
    "| benchmark | result | pgbench, same run | ratio |",
    "|---|---|---|---|",
]
drain = pick("drain", "jobs_per_s")
claim16 = pgbench("claim_complete", 16)
lines.append(f"| 1. drain 20,000 jobs, one worker | {summary(drain)} jobs/s | claim+complete, 16 clients: {summary(claim16)} tps | "
             f"{statistics.median(drain) / statistics.median(claim16):.2f} |")
ins4 = pgbench("insert_notify", 4)
for mode, label in [("autocommit", "one autocommit statement per job (`JobQueue.enqueue(_:on: pool)`)"),
                    ("transaction", "one `BEGIN … COMMIT` per job (enqueue in the caller's transaction)")]:
    flow_p, flow_e = pick("flow", "processed_per_s", mode=mode), pick("flow", "enqueue_per_s", mode=mode)
    if not flow_p:
        continue
    lines.append(f"| 2. enqueue+process, 4 producers, {label} (whole run) | {summary(flow_p)} jobs/s | INSERT+notify, 4 clients: {summary(ins4)} tps | "
                 f"{statistics.median(flow_p) / statistics.median(ins4):.2f} |")
    lines.append(f"| 2. enqueue alone, same | {summary(flow_e)} jobs/s | INSERT+notify, 4 clients: {summary(ins4)} tps | "
                 f"{statistics.median(flow_e) / statistics.median(ins4):.2f} |")
for key, label in [("enqueue_to_start_p50_ms", "enqueue call → handler start, p50"), ("enqueue_to_start_p99_ms", "enqueue call → handler start, p99"),
                   ("commit_to_start_p50_ms", "commit → handler start, p50"), ("commit_to_start_p99_ms", "commit → handler start, p99")]:
    lines.append(f"| 3. {label} | {summary(pick('latency', key))} ms | | |")
lines += ["", "pgbench, same runs (tps):", "", "| script | 1 client | 4 clients | 16 clients |", "|---|---|---|---|"]
for script in ["insert_notify", "claim_complete"]:
    lines.append(f"| {script} | " + " | ".join(summary(pgbench(script, c)) for c in (1, 4, 16)) + " |")
rss = pick("drain", "peak_rss_mb")
if rss:
    lines += ["", f"Peak resident set of the benchmark process after a drain (VmHWM): {summary(rss)} MB."]
lines.append("<!-- queue:end -->")

doc = pathlib.Path("docs/benchmarks.md")
text = doc.read_text() if doc.exists() else "# Benchmarks\n\n## Queue\n\n<!-- queue:start -->\n<!-- queue:end -->\n"
start, end = text.index("<!-- queue:start -->"), text.index("<!-- queue:end -->") + len("<!-- queue:end -->")
doc.write_text(text[:start] + "\n".join(lines) + text[end:])
print("\n".join(lines))

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.exit(0)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
clients = [1, 4, 16]
for script in ["insert_notify", "claim_complete"]:
    left.plot(clients, [statistics.median(pgbench(script, c)) for c in clients], marker="o", label=f"pgbench {script}")
left.axhline(statistics.median(drain), color="green", linestyle="--", label="queue drain (1 worker)")
flow_auto = pick("flow", "processed_per_s", mode="autocommit") or pick("flow", "processed_per_s")
left.axhline(statistics.median(flow_auto), color="red", linestyle=":", label="queue enqueue+process (4 producers)")
left.set_xlabel("clients"); left.set_ylabel("per second"); left.set_xscale("log", base=2); left.legend(fontsize=7); left.set_title("Throughput")
keys = ["commit_to_start_p50_ms", "commit_to_start_p99_ms", "enqueue_to_start_p50_ms", "enqueue_to_start_p99_ms"]
right.bar(range(len(keys)), [statistics.median(pick("latency", k)) for k in keys])
right.set_xticks(range(len(keys)), ["commit p50", "commit p99", "enqueue p50", "enqueue p99"]); right.set_ylabel("ms"); right.set_title("Wake-up latency")
fig.tight_layout(); fig.savefig("docs/benchmarks-queue.png", dpi=100)
