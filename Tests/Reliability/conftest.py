"""Fault and load tests of the whole system (see docs/reliability.md). Each test starts its own
system (harness.System: PostgreSQL, SMTP, webhooks, the four services as processes), drives a
workload through the API while injecting its fault, then checks every guarantee and writes its
figures to $FWA_REL_RESULTS (default .fwa/reliability) for scripts/reliability-report.

Sizes come from the environment (scripts/test-reliability sets them; `--full` for the issue's)."""
import json
import os
import pathlib
import sys
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "EndToEnd"))

from harness import ROOT, System  # noqa: E402

RESULTS = pathlib.Path(os.environ.get("FWA_REL_RESULTS", ROOT / ".fwa/reliability"))


def size(name: str, default: float) -> float:
    value = os.environ.get(name)
    return type(default)(value) if value else default


def record(test: str, figures: dict):
    RESULTS.mkdir(parents=True, exist_ok=True)
    figures = {"test": test, "finished_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "mode": os.environ.get("FWA_REL_MODE", "custom"),
               "sizes": {k: v for k, v in sorted(os.environ.items()) if k.startswith("FWA_REL_") and k not in ("FWA_REL_MODE", "FWA_REL_RESULTS")},
               **figures}
    (RESULTS / f"{test}.json").write_text(json.dumps(figures, indent=2, sort_keys=True, default=str) + "\n")
    print(json.dumps(figures, indent=2, sort_keys=True, default=str), file=sys.stderr)


@pytest.fixture
def make_system(request):
    """Starts a system with extra service settings; closes it after the test."""
    systems = []

    def make(settings=None, label=None):
        running = System(label=label or request.node.name.replace("test_", "rel-")[:20], settings=settings)
        systems.append(running)
        return running
    yield make
    for running in systems:
        running.close()
