"""Summarizes scripts/bench-system results (and, with --policy, scripts/bench-policy results) into
docs/benchmarks.md, each between its own markers (intake, e2e, memory, policy; the queue section is
left alone), with the median and range over the runs, and draws docs/benchmarks-system.png.
  python3 scripts/bench/report-system.py [SYSTEM.jsonl] [--policy POLICY.jsonl]"""
import argparse
import json
import pathlib
import statistics

parser = argparse.ArgumentParser()
parser.add_argument("system", nargs="?")
parser.add_argument("--policy")
parser.add_argument("--intake-only", help="results of system.py --services intake (the other services stopped)")
args = parser.parse_args()

DOC = pathlib.Path("docs/benchmarks.md")
TITLES = {"intake": "Intake (benchmark 5)", "e2e": "End to end (benchmark 6)", "memory": "Memory (benchmark 8)", "policy": "Policy engine (benchmark 7)"}


def load(path):
    return [json.loads(line) for line in pathlib.Path(path).read_text().splitlines() if line.strip()] if path else []


def summary(values, digits=1, unit=""):
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:,.{digits}f}{unit}"
    return f"{statistics.median(values):,.{digits}f}{unit} ({min(values):,.{digits}f}–{max(values):,.{digits}f})"


def replace_section(text, name, lines):
    start_marker, end_marker = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = "\n".join([start_marker, *lines, end_marker])
    if start_marker not in text:
        return text.rstrip("\n") + f"\n\n## {TITLES[name]}\n\n{block}\n"
    start, end = text.index(start_marker), text.index(end_marker) + len(end_marker)
    return text[:start] + block + text[end:]


rows = load(args.system)
policy_rows = load(args.policy)
text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
sections = {}


def pick(bench, **match):
    return [r for r in rows if r.get("benchmark") == bench and all(r.get(k) == v for k, v in match.items())]


setup = next(iter(pick("setup")), None)
runs = sorted({r["run"] for r in rows if "run" in r})
if setup:
    m, pg = setup["machine"], setup["postgres"]
    machine_line = (f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, Linux {m['kernel']}. PostgreSQL {pg.get('server_version')} "
                    f"from Debian, throwaway cluster of `scripts/pg` over a unix socket: fsync={pg.get('fsync')}, "
                    f"synchronous_commit={pg.get('synchronous_commit')}, wal_sync_method={pg.get('wal_sync_method')}, "
                    f"full_page_writes={pg.get('full_page_writes')}, commit_delay={pg.get('commit_delay')}, shared_buffers={pg.get('shared_buffers')}, "
                    f"max_connections={pg.get('max_connections')}, wal_level={pg.get('wal_level')}, max_wal_size={pg.get('max_wal_size')}; "
                    "everything else default. Services: release build, default settings (pool of 8 connections each, "
                    "`LOG_FORMAT=json LOG_LEVEL=info` to a file), all four running, with the SMTP sink (`scripts/smtp-sink`, Python aiosmtpd), "
                    "on the same 2 cores as PostgreSQL and the load generator.")
    other = [r.get("other_cpu_cores", 0) for r in rows if "other_cpu_cores" in r]
    loads = [r.get("load_before", 0) for r in rows if "load_before" in r]
    quiet_line = (f"CPU used by processes outside the benchmark during a measurement (sampled from /proc): median "
                  f"{statistics.median(other):.2f} cores, at most {max(other):.2f}; load average before a measurement "
                  f"{min(loads):.2f}–{max(loads):.2f}.") if other else ""

intake = pick("intake")
if intake:
    connections = sorted({r["connections"] for r in intake})
    lines = [machine_line, "",
             f"Command: `scripts/bench-system` ({len(runs)} runs; each cell is the median and range of the runs). Each run: "
             "`pgbench -n -c C -j min(C,2) -T 10 -f scripts/bench/insert_notify.sql` (one INSERT into fwa_jobs + pg_notify per "
             "transaction: the limit of one durable commit per submit), then `wrk -c C -t min(C,2) -d 10s -s scripts/bench/submit.lua` "
             "against `POST /v1/tenants/mit/requests`: a new employee each time, an `Idempotency-Key`, an eligible hybrid request "
             "(policy evaluated, request, 2 steps, audit row, routing job committed in one transaction, after the API key lookup). "
             "The services process the routing, compliance and email jobs of these submissions meanwhile, on the same cores.",
             quiet_line, "",
             "| connections | submits/s | p50 ms | p90 ms | p99 ms | pgbench INSERT+notify tps, same run | ratio (per run) | target |",
             "|---|---|---|---|---|---|---|---|"]
    for c in connections:
        mine = pick("intake", connections=c)
        ratios = []
        for r in mine:
            same = [p["tps"] for p in pick("pgbench", clients=c, run=r["run"], script="insert_notify")]
            if same:
                ratios.append(r["submits_per_s"] / same[0])
        limit = [p["tps"] for p in pick("pgbench", clients=c, script="insert_notify")]
        target = []
        if ratios:
            target.append(("met" if statistics.median(ratios) >= 0.8 else "**missed**") + " (≥ 0.80 of pgbench)")
        if c == 8:
            target.append(("met" if statistics.median([r["p99_ms"] for r in mine]) <= 20 else "**missed**") + " (p99 ≤ 20 ms)")
        lines.append(f"| {c} | {summary([r['submits_per_s'] for r in mine])} | {summary([r['p50_ms'] for r in mine], 2)} | "
                     f"{summary([r['p90_ms'] for r in mine], 2)} | {summary([r['p99_ms'] for r in mine], 2)} | {summary(limit)} | "
                     f"{summary(ratios, 2)} | {'; '.join(target)} |")
    profile = pick("profile")
    if profile:
        lines += ["", "Where the time goes: one more wrk measurement per concurrency (same run) under `perf record -a -F 499` "
                  "(share of all CPU samples by process; perf data and per-process symbol reports in the run's work folder) and "
                  "pg_stat_activity sampled every 50 ms (what the active backends were doing):", "",
                  "| connections | submits/s | CPU samples by process | active backends (avg) | backends' wait events |", "|---|---|---|---|---|"]
        for r in profile:
            cpu = ", ".join(f"{k} {v:.0f} %" for k, v in list(r["perf_by_comm"].items())[:6])
            waits = ", ".join(f"{k.replace('|', ':')} {v:.0%}" for k, v in list(r["pg_waits_share"].items())[:4])
            lines.append(f"| {r['connections']} | {r['submits_per_s']:,.1f} | {cpu} | {r['pg_active_backends_avg']} | {waits} |")
    alone = [r for r in load(args.intake_only) if r.get("benchmark") in ("intake", "pgbench")]
    if alone:
        alone_runs = sorted({r["run"] for r in alone})

        def limit_of(script, c, run):
            return next((p["tps"] for p in alone if p["benchmark"] == "pgbench" and p.get("script") == script
                         and p["clients"] == c and p["run"] == run), None)

        lines += ["", f"**The intake alone** (same command, second pass: `scripts/bench/system.py --services intake "
                  f"--parts pgbench,submit-sql,intake`, {len(alone_runs)} runs; the router, checker and notifier stopped, so the "
                  "routing jobs wait in the queue). Two limits measured in the same run: pgbench INSERT+notify as above, and "
                  "pgbench `-M prepared -f scripts/bench/submit.sql`, the SQL of one submit in the intake's own five round "
                  "trips (key lookup; BEGIN, role, tenant, idempotency record; active policy version; per-employee lock and "
                  "overlap check; request, 2 steps, audit event, routing job with its notification, idempotency answer, COMMIT), "
                  "without HTTP, JSON or the policy engine:", "",
                  "| connections | submits/s | p50 ms | p99 ms | pgbench INSERT+notify tps | ratio | pgbench submit SQL tps | ratio | target (p99 ≤ 20 ms at 8) |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for c in sorted({r["connections"] for r in alone if r["benchmark"] == "intake"}):
            mine = [r for r in alone if r["benchmark"] == "intake" and r["connections"] == c]
            notify = [limit_of("insert_notify", c, r["run"]) for r in mine]
            submit = [limit_of("submit", c, r["run"]) for r in mine]
            ratio_notify = [r["submits_per_s"] / l for r, l in zip(mine, notify) if l]
            ratio_submit = [r["submits_per_s"] / l for r, l in zip(mine, submit) if l]
            p99 = statistics.median([r["p99_ms"] for r in mine])
            target = ("met" if p99 <= 20 else "**missed**") if c == 8 else ""
            lines.append(f"| {c} | {summary([r['submits_per_s'] for r in mine])} | {summary([r['p50_ms'] for r in mine], 2)} | "
                         f"{summary([r['p99_ms'] for r in mine], 2)} | {summary(notify)} | {summary(ratio_notify, 2)} | "
                         f"{summary(submit)} | {summary(ratio_submit, 2)} | {target} |")
    errors = sum(r["errors"] for r in intake)
    stored_ok = all(r["stored"] >= r["requests"] for r in intake)
    lines += ["", f"Errors (non-2xx, socket): {errors}. Every answered submit stored: {'yes' if stored_ok else 'no'} "
              "(rows counted in `requests` after each measurement). pgbench average latency, ms: "
              + ", ".join(f"{c} clients {summary([p.get('latency_avg_ms') for p in pick('pgbench', clients=c, script='insert_notify')], 2)}" for c in connections) + ".",
              "", "![intake and e2e](benchmarks-system.png)"]
    sections["intake"] = lines

e2e = pick("e2e")
if e2e:
    lines = ["Same machine, database and services as the intake section. Command: `scripts/bench-system` "
             f"({len(runs)} runs): an open-loop client (scripts/bench/system.py, Python threads with keep-alive connections) sends "
             "request i at t0 + i/rate for 20 s; latency = the time the SMTP sink (`scripts/smtp-sink --timestamps FILE`) accepted "
             "the first approver's (the supervisor's) email minus the time `POST /v1/tenants/mit/requests` returned 202 to the client "
             "(both `time.time_ns()` on this machine). Path: intake commit → routing job → approval-router opens step 1 and enqueues "
             "the notification → notifier renders and sends it over SMTP.", "",
             "| rate | achieved | emails / accepted | p50 ms | p90 ms | p99 ms | max ms | POST p50 / p99 ms | target |",
             "|---|---|---|---|---|---|---|---|---|"]
    for rate in sorted({r["rate"] for r in e2e}):
        mine = pick("e2e", rate=rate)
        target = ""
        if rate == 10:
            p50, p99 = statistics.median([r["p50_ms"] for r in mine]), statistics.median([r["p99_ms"] for r in mine])
            target = f"p50 ≤ 25: {'met' if p50 <= 25 else '**missed**'}; p99 ≤ 100: {'met' if p99 <= 100 else '**missed**'}"
        lines.append(f"| {rate}/s | {summary([r['achieved_rate'] for r in mine])}/s | {sum(r['emails'] for r in mine)} / {sum(r['accepted'] for r in mine)} | "
                     f"{summary([r['p50_ms'] for r in mine])} | {summary([r['p90_ms'] for r in mine])} | {summary([r['p99_ms'] for r in mine])} | "
                     f"{summary([r['max_ms'] for r in mine])} | {summary([r['post_p50_ms'] for r in mine], 2)} / {summary([r['post_p99_ms'] for r in mine], 2)} | {target} |")
    staged = [r for r in e2e if r.get("stages")]
    if staged:
        names = list(staged[0]["stages"])
        rates = sorted({r["rate"] for r in staged})
        lines += ["", "Where the time goes: each hop of a request's first email, ending when the next worker claimed its job "
                  "(`fwa_jobs.attempted_at`), the last when the SMTP sink accepted the message; p50 of each hop in ms, median and "
                  "range over the runs (a hop includes the previous transaction's commit, its wake-up and the claim). The p50s need "
                  "not add up to the p50 of the whole.", "",
                  "| hop | " + " | ".join(f"{rate}/s p50 ms | {rate}/s p90 ms" for rate in rates) + " |",
                  "|---|" + "---|---|" * len(rates)]
        for name in names:
            cells = []
            for rate in rates:
                mine = [r["stages"][name] for r in staged if r["rate"] == rate and name in r["stages"]]
                cells += [summary([m["p50_ms"] for m in mine], 2), summary([m["p90_ms"] for m in mine], 2)]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    sections["e2e"] = lines

idle = pick("memory_idle")
if idle and (intake or e2e):
    services = list(idle[0]["memory"])
    phases = [(f"intake, {c} conn.", pick("intake", connections=c)) for c in sorted({r["connections"] for r in intake})]
    phases += [(f"e2e, {rate}/s", pick("e2e", rate=rate)) for rate in sorted({r["rate"] for r in e2e})]
    lines = ["Resident set of each service process from /proc/PID/status: idle = VmRSS 5 s after start and after the five "
             "tenants were applied; during a measurement = VmHWM (peak), reset with `echo 5 > /proc/PID/clear_refs` just "
             f"before it. MB = 1,048,576 bytes; median and range over {len(runs)} runs. Target: ≤ 50 MB idle.", "",
             "| service | idle | " + " | ".join(name for name, _ in phases) + " | target (idle) |",
             "|---|---|" + "---|" * len(phases) + "---|"]
    for service in services:
        idle_mb = [r["memory"][service]["vmrss_kb"] / 1024 for r in idle]
        cells = []
        for _, mine in phases:
            cells.append(summary([max(r["memory"][service]["vmhwm_kb"] or 0, r["memory"][service]["sampled_rss_peak_kb"]) / 1024 for r in mine]))
        verdict = "met" if max(idle_mb) <= 50 else "**missed**"
        lines.append(f"| {service} | {summary(idle_mb)} | " + " | ".join(cells) + f" | {verdict} |")
    if "rssanon_kb" in idle[0]["memory"][services[0]]:
        lines += ["", "Idle resident set split (first run, MB): anonymous (heap, stacks) and file-backed (the binary and shared "
                  "libraries, mostly shared with nothing else here), and the largest mappings:", "",
                  "| service | anonymous | file-backed | largest mappings |", "|---|---|---|---|"]
        for service in services:
            m = idle[0]["memory"][service]
            top = ", ".join(f"{pathlib.Path(k).name} {v / 1024:.1f}" for k, v in list(m.get("top_mappings_kb", {}).items())[:5])
            lines.append(f"| {service} | {m['rssanon_kb'] / 1024:.1f} | {m['rssfile_kb'] / 1024:.1f} | {top} |")
    after = pick("memory_after")
    if after:
        lines += ["", "After the runs, queues drained, 5 s idle (VmRSS, MB): "
                  + ", ".join(f"{s} {after[-1]['memory'][s]['vmrss_kb'] / 1024:.1f}" for s in services) + "."]
    sections["memory"] = lines

if policy_rows:
    tenants = list(dict.fromkeys(r["tenant"] for r in policy_rows))
    count = len(policy_rows) // len(tenants)
    lines = ["Command: `scripts/bench-policy` (release build; PolicyBench pinned to core 0 with `taskset -c 0`, one thread, "
             f"2 s per tenant, {count} runs; a typical eligible hybrid or flextime request of each seed tenant). Evaluations per "
             "second on one core, median and range:", "",
             "| tenant | evaluations/s (one core) | µs per evaluation (median) | chain steps |", "|---|---|---|---|"]
    for tenant in tenants:
        mine = [r["evaluations_per_s"] for r in policy_rows if r["tenant"] == tenant]
        steps = [r["chain_steps"] for r in policy_rows if r["tenant"] == tenant][0]
        lines.append(f"| {tenant} | {summary(mine, 0)} | {1e6 / statistics.median(mine):.1f} | {steps} |")
    sections["policy"] = lines

for name in ["intake", "e2e", "memory", "policy"]:
    if name in sections:
        text = replace_section(text, name, sections[name])
DOC.write_text(text)
for name, lines in sections.items():
    print(f"## {name}\n" + "\n".join(lines) + "\n")

if not (intake or e2e):
    raise SystemExit(0)
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    raise SystemExit(0)


def band(values):
    return statistics.median(values), statistics.median(values) - min(values), max(values) - statistics.median(values)


alone_rows = load(args.intake_only)
fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
if intake:
    connections = sorted({r["connections"] for r in intake})
    for label, series, color in [("intake submits/s", [[r["submits_per_s"] for r in pick("intake", connections=c)] for c in connections], "tab:blue"),
                                 ("pgbench INSERT+notify tps", [[r["tps"] for r in pick("pgbench", clients=c, script="insert_notify")] for c in connections], "tab:gray"),
                                 *([("intake alone submits/s", [[r["submits_per_s"] for r in alone_rows if r["benchmark"] == "intake" and r["connections"] == c] for c in connections], "tab:green"),
                                    ("pgbench submit SQL tps", [[r["tps"] for r in alone_rows if r["benchmark"] == "pgbench" and r.get("script") == "submit" and r["clients"] == c] for c in connections], "tab:olive")]
                                   if alone_rows else [])]:
        if all(series):
            med, low, high = zip(*(band(v) for v in series))
            axes[0].errorbar(connections, med, yerr=[low, high], marker="o", capsize=4, label=label, color=color)
    axes[0].set_xscale("log", base=2); axes[0].set_xticks(connections, [str(c) for c in connections])
    axes[0].set_xlabel("connections (clients)"); axes[0].set_ylabel("per second"); axes[0].set_title("Throughput (median, range)")
    axes[0].legend(fontsize=8); axes[0].set_ylim(bottom=0)
    for key, color in [("p50_ms", "tab:green"), ("p90_ms", "tab:orange"), ("p99_ms", "tab:red")]:
        med, low, high = zip(*(band([r[key] for r in pick("intake", connections=c)]) for c in connections))
        axes[1].errorbar(connections, med, yerr=[low, high], marker="o", capsize=4, label=f"intake {key[:3]}", color=color)
    axes[1].axhline(20, color="tab:red", linestyle=":", label="target p99 at 8 conn.")
    axes[1].set_xscale("log", base=2); axes[1].set_yscale("log"); axes[1].set_xticks(connections, [str(c) for c in connections])
    axes[1].set_xlabel("connections"); axes[1].set_ylabel("ms"); axes[1].set_title("Intake submit latency"); axes[1].legend(fontsize=8)
if e2e:
    rates = sorted({r["rate"] for r in e2e})
    width = 0.25
    for offset, (key, color) in enumerate([("p50_ms", "tab:green"), ("p90_ms", "tab:orange"), ("p99_ms", "tab:red")]):
        med, low, high = zip(*(band([r[key] for r in pick("e2e", rate=rate)]) for rate in rates))
        axes[2].bar([i + (offset - 1) * width for i in range(len(rates))], med, width, yerr=[low, high], capsize=4, label=key[:3], color=color)
    axes[2].set_xticks(range(len(rates)), [f"{r}/s" for r in rates]); axes[2].set_ylabel("ms")
    axes[2].set_title("End to end: POST → first approver email"); axes[2].legend(fontsize=8)
fig.tight_layout()
fig.savefig("docs/benchmarks-system.png", dpi=100)
