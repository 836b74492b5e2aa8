"""Structural checks of deploy/compose.yaml: every reference resolves, every long-running
service has a health check, every image is built from deploy/Dockerfile for a real executable,
every FWA_* variable it sets is documented in docs/operations.md, and no secret has a default:
each is required from the environment (`${VAR:?message}`), so a forgotten one stops compose instead
of starting the stack with a value everybody knows."""
import pathlib
import re
import sys

import yaml

EXECUTABLES = {"intake", "approval-router", "compliance-checker", "notifier", "fwactl"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
# A variable that holds a secret, by its name.
SECRET_NAME = re.compile(r"PASSWORD|TOKEN|SECRET|(^|_)KEY$|CREDENTIAL")
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, …
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+=])([^}]*))?\}")
# The password part of a URL: scheme://user:PASSWORD@host
URL_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^:/@]+:([^@]*)@")


def required_reference(value: str) -> bool:
    """True when `value` is exactly one `${VAR:?message}` (or `${VAR?message}`) reference."""
    match = REFERENCE.fullmatch(value.strip())
    return bool(match) and (match.group(2) or "") in (":?", "?")


def secret_defaults(text: str, services: dict) -> list[str]:
    """Every secret that compose would fill with a default or a literal instead of requiring it."""
    found = []
    for match in REFERENCE.finditer(text):
        variable, operator = match.group(1), match.group(2) or ""
        if SECRET_NAME.search(variable) and operator not in (":?", "?"):
            found.append(f"${{{variable}{operator}…}}: a secret must be required (${{{variable}:?message}}), never defaulted")
    for name, spec in services.items():
        environment = (spec.get("environment") or {}) if isinstance(spec, dict) else {}
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
        for variable, value in environment.items():
            value = "" if value is None else str(value)
            if SECRET_NAME.search(variable) and not required_reference(value):
                found.append(f"{name}: {variable} must be ${{VAR:?message}} (a required secret), not a literal or a default")
            password = URL_PASSWORD.match(value)
            if password and not required_reference(password.group(1)):
                found.append(f"{name}: {variable} carries a literal password; use ${{VAR:?message}}")
    return found


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
    found += secret_defaults(path.read_text(), services)
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
