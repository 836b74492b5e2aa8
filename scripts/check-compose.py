"""Structural checks of deploy/compose.yaml: every reference resolves, every long-running
service has a health check, every image is built from deploy/Dockerfile for a real executable,
and every FWA_* variable it sets is documented in docs/operations.md."""
import pathlib
import re
import sys

import yaml

EXECUTABLES = {"intake", "approval-router", "compliance-checker", "notifier", "fwactl"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}


def problems(path: pathlib.Path) -> list[str]:
    doc = yaml.safe_load(path.read_text())
    services = doc.get("services") or {}
    found = []
    if not services:
        return ["no services"]
    for name, spec in services.items():
        if not isinstance(spec, dict) or not ("image" in spec or "build" in spec):
            found.append(f"{name}: needs image or build")
            continue
        build = spec.get("build")
        if isinstance(build, dict):
            if build.get("dockerfile") != "deploy/Dockerfile":
                found.append(f"{name}: build must use deploy/Dockerfile")
            if (build.get("args") or {}).get("SERVICE") not in EXECUTABLES:
                found.append(f"{name}: build arg SERVICE must be one of {sorted(EXECUTABLES)}")
        for dependency, rule in (spec.get("depends_on") or {}).items():
            if dependency not in services:
                found.append(f"{name}: depends on unknown service {dependency}")
            elif (rule or {}).get("condition") not in CONDITIONS:
                found.append(f"{name}: depends_on {dependency} has no valid condition")
        # One-shot steps (migrate, logins) are those another service waits to complete.
        long_running = not any(((other.get("depends_on") or {}).get(name) or {}).get("condition") == "service_completed_successfully"
                               for other in services.values() if isinstance(other, dict))
        if long_running and "healthcheck" not in spec:
            found.append(f"{name}: long-running service without a healthcheck")
    documented = set(re.findall(r"`(FWA_[A-Z_]+)`", pathlib.Path("docs/operations.md").read_text()))
    for name, spec in services.items():
        for variable in (spec.get("environment") or {}):
            if variable.startswith("FWA_") and variable not in documented:
                found.append(f"{name}: {variable} is not documented in docs/operations.md")
    return found


if __name__ == "__main__":
    target = pathlib.Path(sys.argv[1])
    issues = problems(target)
    for issue in issues:
        print(f"FAIL {target}: {issue}")
    if not issues:
        print(f"ok   {target}: services, dependencies, health checks and variables consistent")
    sys.exit(1 if issues else 0)
