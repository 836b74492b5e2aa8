"""Summarizes scripts/bench-policy's JSON lines (median and range of evaluations per second per
tenant) into docs/benchmarks.md, between the markers of the policy section."""
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys

rows = [json.loads(line) for line in pathlib.Path(sys.argv[1]).read_text().splitlines() if line.strip()]
load = sys.argv[2] if len(sys.argv) > 2 else "?"
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
tenants = list(dict.fromkeys(r["tenant"] for r in rows))
runs = len([r for r in rows if r["tenant"] == tenants[0]])
lines = [
    "<!-- policy:start -->",
    f"Machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}. Command: `scripts/bench-policy` "
    f"(release build, one thread pinned to core 0 with `taskset -c 0`, 2 s per tenant, {runs} runs; median and range). "
    f"Load average before the runs: {load}. A typical eligible request per seed tenant (hybrid or the first type, two remote "
    "days, home state, six months, every attestation and field the type requires answered): the whole `PolicyEngine.evaluate` "
    "(eligibility, limits, notice, requirements, chain with SLA due dates in business days, location rules).",
    "",
    "| tenant | evaluations/s on one core | chain steps | the request eligible (violations) | target |",
    "|---|---|---|---|---|",
]
for tenant in tenants:
    values = [r["evaluations_per_s"] for r in rows if r["tenant"] == tenant]
    steps = [r["chain_steps"] for r in rows if r["tenant"] == tenant][0]
    median = statistics.median(values)
    verdict = "met" if median >= 100_000 else "**missed**"
    sample = [r for r in rows if r["tenant"] == tenant][0]
    eligible = f"{'yes' if sample.get('eligible') else 'no'} ({sample.get('violations', '?')})" if "eligible" in sample else "–"
    lines.append(f"| {tenant} | {median:,.0f} ({min(values):,.0f}–{max(values):,.0f}) | {steps} | {eligible} | ≥ 100,000: {verdict} |")
lines.append("<!-- policy:end -->")
doc = pathlib.Path(__file__).resolve().parents[2] / "docs/benchmarks.md"
text = doc.read_text()
start, end = text.find("<!-- policy:start -->"), text.find("<!-- policy:end -->")
block = "\n".join(lines)
if start == -1:
    text = text.rstrip("\n") + "\n\n## Policy engine (benchmark 7)\n\n" + block + "\n"
else:
    text = text[:start] + block + text[end + len("<!-- policy:end -->"):]
doc.write_text(text)
print(block)
