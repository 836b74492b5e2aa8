"""Writes the figures of the last reliability run into docs/reliability.md: each test's block
between `<!-- figures:NAME:start -->` and `<!-- figures:NAME:end -->` is replaced by a table
made from RESULTS/NAME.json. Usage: report.py RESULTS_DIR DOC."""
import json
import pathlib
import re
import sys


def mib(value):
    return f"{value / 1048576:.0f} MiB" if value else "-"


def fmt(value):
    if isinstance(value, dict):
        return ", ".join(f"{k} {fmt(v)}" for k, v in value.items()) or "none"
    if isinstance(value, list):
        return ", ".join(fmt(v) for v in value) or "none"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


COMMON = [
    ("requests", "requests through the API"), ("final_states", "final states"), ("wrong_final_state", "requests in a wrong final state"),
    ("jobs", "jobs"), ("jobs_due_not_done", "jobs due and not done"), ("dead_letters", "dead letters (jobs failed for good)"),
    ("jobs_rescued", "jobs rescued from a dead worker"), ("steps_opened", "approval steps opened"),
    ("steps_opened_twice", "steps opened twice"), ("deliveries", "deliveries (channel:status)"),
    ("emails_received", "emails received by the SMTP server"), ("emails_missing", "delivered emails missing at the server"),
    ("email_duplicates_same_message_id", "emails received again with the same Message-ID"),
    ("webhooks_accepted", "webhooks accepted"), ("webhook_resends_same_delivery_id", "webhooks received again with the same X-Flexwork-Delivery"),
    ("mark_window_ms", "SMTP 250 → delivery marked delivered (ms)"),
    ("delivery_log_duplicates", "duplicate rows in the delivery log"),
    ("notified_audit_missing", "delivered deliveries without their `notified` audit event"),
    ("notified_audit_twice", "deliveries with two `notified` audit events"),
    ("audit_chains_broken", "audit chains broken (fwactl audit verify)"),
    ("lost", "**lost**"), ("duplicates", "**duplicates** (steps, delivery log, webhooks)"),
]

SPECIFIC = {
    "kill_workers": [("faults_injected", "SIGKILLs"), ("kills_mid_job", "SIGKILLs that hit a worker holding jobs"),
                     ("kills_by_service", "SIGKILLs per service"), ("jobs_held_by_killed_workers", "jobs held by the killed workers"),
                     ("decisions", "decisions posted")],
    "postgres_restart": [("faults_injected", "PostgreSQL restarts"), ("postgres_down_s", "PostgreSQL down (s)"),
                         ("postgres_start_s", "pg_ctl start took (s)"),
                         ("readiness", "/readyz red after stop, green after start (s)"),
                         ("all_ready_after_start_s", "all services ready after start (s)"),
                         ("probe_route_and_email_s", "new request routed and emailed after recovery, polls at 30 s (s)"),
                         ("services_never_restarted", "services kept running (no restart)")],
    "delivery_outages": [("smtp_down_s", "SMTP server down (s)"), ("webhook_500_s", "webhook receiver answering 500 (s)"),
                         ("webhook_hang_s", "webhook receiver hanging past the 2 s timeout (s)"),
                         ("webhook_attempts_answered_500", "webhook attempts answered 500"), ("webhook_attempts_hung", "webhook attempts timed out"),
                         ("deliveries_retried_then_delivered", "deliveries retried, then delivered"),
                         ("most_attempts_of_a_delivered_delivery", "most attempts of one delivered delivery"),
                         ("recovered_after_smtp_back_s", "all delivered after SMTP came back (s)"),
                         ("permanent_failures", "permanent failures (SMTP 550, webhook 410)"),
                         ("dead_letters_listed_by_fwactl", "of them listed by `fwactl queue failed`")],
    "graceful_shutdown": [("faults_injected", "SIGTERMs"), ("stops", "stops (service, seconds to exit, exit status, jobs held)"),
                          ("shutdown_grace_s", "FWA_SHUTDOWN_GRACE (s)"), ("slowest_stop_s", "slowest exit (s)"),
                          ("decisions", "decisions posted")],
    "load_burst_flood": [("flood_jobs", "flood jobs (one tenant)"), ("flood_jobs_completed", "flood jobs completed"),
                         ("burst_submitted_in_s", "burst submitted in (s)"), ("burst_submit_rate_per_s", "submission rate (requests/s)"),
                         ("burst_routed_in_s", "whole burst routed in (s)"),
                         ("flood_jobs_left_when_burst_submitted", "flood jobs still queued when the burst was submitted"),
                         ("flood_jobs_left_when_burst_routed", "flood jobs still queued when the burst was routed"),
                         ("flood_drained_in_s", "flood drained in (s)"),
                         ("route_delay_s", "submission → first step opened (s)"),
                         ("route_delay_max_s_by_tenant", "worst routing delay per tenant (s)"),
                         ("approver_email_delay_s", "submission → approver's email delivered (s)"),
                         ("rss_end_bytes", "RSS at the end")],
}


def table(result: dict) -> str:
    rows = [("mode and sizes", f"{result.get('mode')}: " + (", ".join(f"{k}={v}" for k, v in result.get("sizes", {}).items()) or "defaults")),
            ("finished", result.get("finished_at")), ("duration (s)", result.get("seconds"))]
    for key, label in SPECIFIC.get(result["test"], []) + COMMON:
        if key in result:
            value = result[key]
            if key == "stops":
                value = "; ".join(f"{s['service']} {s['seconds']} s exit {s['exit']} held {s['held_jobs']}" for s in value)
            elif key == "readiness":
                value = "; ".join(f"{n} {v['red_after_stop_s']} / {v['green_after_start_s']}" for n, v in value.items())
            elif key == "rss_end_bytes":
                value = ", ".join(f"{n} {mib(v)}" for n, v in value.items())
            rows.append((label, value if isinstance(value, str) else fmt(value)))
    rows.append(("peak RSS", ", ".join(f"{n} {mib(v)}" for n, v in result.get("peak_rss_bytes", {}).items())))
    rows.append(("problems found", fmt(result.get("problems", [])) or "none"))
    lines = ["| figure | last run |", "|---|---|"] + [f"| {label} | {str(value).replace('|', '/')} |" for label, value in rows if value is not None]
    return "\n".join(lines)


def main(results_dir: str, doc_path: str):
    doc = pathlib.Path(doc_path).read_text()
    for path in sorted(pathlib.Path(results_dir).glob("*.json")):
        result = json.loads(path.read_text())
        name = result["test"]
        pattern = re.compile(rf"(<!-- figures:{re.escape(name)}:start -->\n).*?(<!-- figures:{re.escape(name)}:end -->)", re.S)
        if pattern.search(doc):
            doc = pattern.sub(lambda m: m.group(1) + table(result) + "\n" + m.group(2), doc)
    pathlib.Path(doc_path).write_text(doc)


if __name__ == "__main__":
    main(*sys.argv[1:3])
