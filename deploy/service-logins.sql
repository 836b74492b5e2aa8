-- Creates each service's login in its group role, or sets its password again (rotation). Run as
-- the schema's owner after `fwactl migrate` (migration 0006 creates the groups), with psql 15 or
-- later and the passwords in the environment:
--
--   FWA_DB_PASSWORD_INTAKE=… FWA_DB_PASSWORD_APPROVAL_ROUTER=… FWA_DB_PASSWORD_COMPLIANCE_CHECKER=… \
--   FWA_DB_PASSWORD_NOTIFIER=… psql -X -v ON_ERROR_STOP=1 -f deploy/service-logins.sql
--
-- Logins: flexwork_intake (in fwa_intake), flexwork_approval_router (in fwa_router),
-- flexwork_compliance_checker (in fwa_checker) and flexwork_notifier (in fwa_notifier), each group
-- with only what its service's SQL uses (migrations 0006, 0010). They own nothing and are never
-- superuser or BYPASSRLS. A login made before migration 0010 leaves the shared fwa_worker.
\set intake ''
\set approval_router ''
\set compliance_checker ''
\set notifier ''
\getenv intake FWA_DB_PASSWORD_INTAKE
\getenv approval_router FWA_DB_PASSWORD_APPROVAL_ROUTER
\getenv compliance_checker FWA_DB_PASSWORD_COMPLIANCE_CHECKER
\getenv notifier FWA_DB_PASSWORD_NOTIFIER

SELECT least(length(:'intake'), length(:'approval_router'), length(:'compliance_checker'), length(:'notifier')) >= 16 AS passwords_set \gset
\if :passwords_set
\else
DO $$ BEGIN RAISE EXCEPTION 'set FWA_DB_PASSWORD_INTAKE, _APPROVAL_ROUTER, _COMPLIANCE_CHECKER and _NOTIFIER (16 characters or more)'; END $$;
\endif

-- The same placeholder rule the services apply at start (Shared/ServiceKit/SecretStrength.swift).
SELECT bool_and(lower(p) !~ '(change[-_]?me|replace[-_]?me|example|secret|password|passwd|placeholder|xxx|dummy|default|insecure|qwerty|123456|abcdef)'
                AND (SELECT count(DISTINCT c) FROM regexp_split_to_table(p, '') AS c) >= 8) AS passwords_strong
  FROM (VALUES (:'intake'), (:'approval_router'), (:'compliance_checker'), (:'notifier')) AS l (p) \gset
\if :passwords_strong
\else
DO $$ BEGIN RAISE EXCEPTION 'a FWA_DB_PASSWORD_* value is a placeholder or too weak: generate each, e.g. openssl rand -hex 24'; END $$;
\endif

SELECT format('CREATE ROLE %I LOGIN IN ROLE %I', l.name, l.grp)
  FROM (VALUES ('flexwork_intake', 'fwa_intake'), ('flexwork_approval_router', 'fwa_router'),
               ('flexwork_compliance_checker', 'fwa_checker'), ('flexwork_notifier', 'fwa_notifier')) AS l (name, grp)
 WHERE NOT EXISTS (SELECT FROM pg_roles r WHERE r.rolname = l.name) \gexec

SELECT format('GRANT %I TO %I', l.grp, l.name)
  FROM (VALUES ('flexwork_intake', 'fwa_intake'), ('flexwork_approval_router', 'fwa_router'),
               ('flexwork_compliance_checker', 'fwa_checker'), ('flexwork_notifier', 'fwa_notifier')) AS l (name, grp)
 WHERE NOT pg_has_role(l.name, l.grp, 'MEMBER') \gexec

SELECT format('REVOKE fwa_worker FROM %I', l.name)
  FROM (VALUES ('flexwork_intake', 'fwa_intake'), ('flexwork_approval_router', 'fwa_router'),
               ('flexwork_compliance_checker', 'fwa_checker'), ('flexwork_notifier', 'fwa_notifier')) AS l (name, grp) JOIN pg_roles r ON r.rolname = l.name
 WHERE EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid AND g.rolname = 'fwa_worker') \gexec

SELECT format('ALTER ROLE %I WITH LOGIN INHERIT NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD %L', l.name, l.password)
  FROM (VALUES ('flexwork_intake', :'intake'), ('flexwork_approval_router', :'approval_router'),
               ('flexwork_compliance_checker', :'compliance_checker'), ('flexwork_notifier', :'notifier')) AS l (name, password) \gexec
