"""Every service runs under its own least-privilege login (migration 0006, scripts/pg logins): the
sessions PostgreSQL sees are those logins', none of them superuser, BYPASSRLS or owner of
anything, while the scenarios in test_workflow.py pass with them."""
import subprocess

from harness import LOGINS, SERVICES


def psql(system, sql):
    result = subprocess.run(["psql", "-X", "-qAt", "-F", "|", "-c", sql], env=system["env"], capture_output=True, text=True, check=True)
    return [line.split("|") for line in result.stdout.splitlines() if line]


def test_services_connect_as_their_logins(system, tenants):
    # The tenants were applied and keys made through the intake: its pool has connections open,
    # and every worker holds its LISTEN connection.
    sessions = psql(system, """
        SELECT DISTINCT usename FROM pg_stat_activity
         WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
        """)
    assert {row[0] for row in sessions} == {LOGINS[name] for name in SERVICES}
    logins = "', '".join(LOGINS.values())
    flags = psql(system, f"""
        SELECT r.rolname, r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolcreatedb,
               (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid) + (SELECT count(*) FROM pg_proc p WHERE p.proowner = r.oid),
               pg_has_role(r.rolname, 'fwa_intake', 'MEMBER'), pg_has_role(r.rolname, 'fwa_worker', 'MEMBER')
          FROM pg_roles r WHERE r.rolname IN ('{logins}') ORDER BY 1
        """)
    assert flags == sorted([[LOGINS["intake"], "f", "0", "t", "f"]]
                           + [[LOGINS[name], "f", "0", "f", "t"] for name in SERVICES if name != "intake"])
