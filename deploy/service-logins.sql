-- Creates each service's login in its group role, or sets its password again (rotation). Run as
-- the schema's owner after `fwactl migrate` (migration 0006 creates the groups), with psql 15 or
-- later and the passwords in the environment:
--
--   FWA_DB_PASSWORD_INTAKE=… FWA_DB_PASSWORD_APPROVAL_ROUTER=… FWA_DB_PASSWORD_COMPLIANCE_CHECKER=… \
--   FWA_DB_PASSWORD_NOTIFIER=… psql -X -v ON_ERROR_STOP=1 -f deploy/service-logins.sql
--
-- Logins: flexwork_intake (in fwa_intake), flexwork_approval_router, flexwork_compliance_checker
-- and flexwork_notifier (in fwa_worker). They own nothing and are never superuser or BYPASSRLS.
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

SELECT format('CREATE ROLE %I LOGIN IN ROLE %I', l.name, l.grp)
  FROM (VALUES ('flexwork_intake', 'fwa_intake'), ('flexwork_approval_router', 'fwa_worker'),
               ('flexwork_compliance_checker', 'fwa_worker'), ('flexwork_notifier', 'fwa_worker')) AS l (name, grp)
 WHERE NOT EXISTS (SELECT FROM pg_roles r WHERE r.rolname = l.name) \gexec

SELECT format('ALTER ROLE %I WITH LOGIN INHERIT NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD %L', l.name, l.password)
  FROM (VALUES ('flexwork_intake', :'intake'), ('flexwork_approval_router', :'approval_router'),
               ('flexwork_compliance_checker', :'compliance_checker'), ('flexwork_notifier', :'notifier')) AS l (name, password) \gexec
