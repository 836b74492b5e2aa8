"""Every service runs under its own least-privilege login (migrations 0006 and 0010, scripts/pg logins): the
sessions PostgreSQL sees are those logins', none of them superuser, BYPASSRLS or owner of
anything, while the scenarios in test_workflow.py pass with them."""
import subprocess

from harness import GROUPS, LOGINS, SERVICES


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
               (SELECT string_agg(g.rolname, ',' ORDER BY g.rolname) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                 WHERE m.member = r.oid)
          FROM pg_roles r WHERE r.rolname IN ('{logins}') ORDER BY 1
        """)
    # Each login is in its own service's group only (none in the former shared fwa_worker).
    assert flags == sorted([[LOGINS[name], "f", "0", GROUPS[name]] for name in SERVICES])
