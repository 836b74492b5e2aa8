-- One group role per worker service, each with only what its own SQL uses (before: the three
-- workers shared `fwa_worker`, so the compliance-checker's login could insert action tokens, read
-- webhook secrets and decide steps). Roles are cluster-wide: each is created when missing. An
-- operator puts each service's login in its group (deploy/service-logins.sql, `scripts/pg logins`):
--
--   fwa_router    approval-router: reads requests and steps of every tenant, moves a request's
--                 status and opens, skips or cancels steps; cannot record a decision (approve or
--                 deny a step), touch alerts, action tokens, deliveries or webhook secrets.
--   fwa_checker   compliance-checker: reads requests, inserts alerts; nothing on request_steps,
--                 action tokens, deliveries, notification events or webhook secrets, no update of
--                 any request.
--   fwa_notifier  notifier: notification events, deliveries, action tokens and webhook secrets,
--                 reads templates; reads no request and changes none.
--
-- All three: the job queue (claim, complete, retry, rescue, prune, enqueue), read tenants and policy
-- versions, read the migrations table (readiness), seal the audit trail. None inserts into `events`
-- (migration 0011: appends go through `fwa_append_event`, for a job the worker holds).
-- `fwa_worker` keeps no privilege: a login still in it can do nothing until it is moved.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fwa_router') THEN
        CREATE ROLE fwa_router NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fwa_checker') THEN
        CREATE ROLE fwa_checker NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fwa_notifier') THEN
        CREATE ROLE fwa_notifier NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END $$;

-- The shared worker role gives up everything migrations 0006 and 0009 granted it.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM fwa_worker;
REVOKE ALL ON SEQUENCE fwa_jobs_id_seq FROM fwa_worker;
REVOKE EXECUTE ON FUNCTION fwa_seal_events(integer) FROM fwa_worker;
DROP POLICY worker_all_tenants ON fwa_jobs;
DROP POLICY worker_all_tenants ON tenants;
DROP POLICY worker_all_tenants ON tenant_versions;
DROP POLICY worker_all_tenants ON notification_templates;
DROP POLICY worker_all_tenants ON requests;
DROP POLICY worker_all_tenants ON request_steps;
DROP POLICY worker_all_tenants ON events;
DROP POLICY worker_all_tenants ON alerts;
DROP POLICY worker_all_tenants ON notification_events;
DROP POLICY worker_all_tenants ON action_tokens;
DROP POLICY worker_all_tenants ON webhook_secrets;
DROP POLICY worker_all_tenants ON deliveries;

-- Every worker: readiness, the queue, the tenants' policies, sealing.
GRANT SELECT ON fwa_schema_migrations TO fwa_router, fwa_checker, fwa_notifier;
GRANT SELECT, INSERT, UPDATE, DELETE ON fwa_jobs TO fwa_router, fwa_checker, fwa_notifier;
GRANT USAGE ON SEQUENCE fwa_jobs_id_seq TO fwa_router, fwa_checker, fwa_notifier;
GRANT SELECT ON fwa_queue_pauses TO fwa_router, fwa_checker, fwa_notifier;
GRANT SELECT ON tenants, tenant_versions TO fwa_router, fwa_checker, fwa_notifier;
GRANT EXECUTE ON FUNCTION fwa_seal_events(integer) TO fwa_router, fwa_checker, fwa_notifier;
CREATE POLICY workers_all_tenants ON fwa_jobs TO fwa_router, fwa_checker, fwa_notifier USING (true) WITH CHECK (true);
CREATE POLICY workers_all_tenants ON tenants TO fwa_router, fwa_checker, fwa_notifier USING (true);
CREATE POLICY workers_all_tenants ON tenant_versions TO fwa_router, fwa_checker, fwa_notifier USING (true);

-- approval-router (Shared/Storage/RequestStore.swift): a request's status and reason; a step's
-- status, opening time and due date, never into a decided status (only the intake records
-- decisions, with their decider and time).
GRANT SELECT ON requests, request_steps TO fwa_router;
GRANT UPDATE (status, decision_reason, updated_at) ON requests TO fwa_router;
GRANT UPDATE (status, opened_at, due_date) ON request_steps TO fwa_router;
CREATE POLICY router_all_tenants ON requests TO fwa_router USING (true) WITH CHECK (true);
CREATE POLICY router_undecided_steps ON request_steps TO fwa_router
    USING (true) WITH CHECK (status IN ('pending', 'open', 'skipped', 'cancelled'));

-- compliance-checker (Services/ComplianceChecker): reads requests, raises alerts.
GRANT SELECT ON requests TO fwa_checker;
GRANT SELECT, INSERT ON alerts TO fwa_checker;
CREATE POLICY checker_all_tenants ON requests TO fwa_checker USING (true);
CREATE POLICY checker_all_tenants ON alerts TO fwa_checker USING (true) WITH CHECK (true);

-- notifier (Services/Notifier): what it announces, its deliveries, the links it signs, the keys
-- it signs webhooks with, the tenants' templates.
GRANT SELECT, INSERT ON notification_events, action_tokens, webhook_secrets TO fwa_notifier;
GRANT SELECT, INSERT, UPDATE ON deliveries TO fwa_notifier;
GRANT SELECT ON notification_templates TO fwa_notifier;
CREATE POLICY notifier_all_tenants ON notification_events TO fwa_notifier USING (true) WITH CHECK (true);
CREATE POLICY notifier_all_tenants ON action_tokens TO fwa_notifier USING (true) WITH CHECK (true);
CREATE POLICY notifier_all_tenants ON webhook_secrets TO fwa_notifier USING (true) WITH CHECK (true);
CREATE POLICY notifier_all_tenants ON deliveries TO fwa_notifier USING (true) WITH CHECK (true);
CREATE POLICY notifier_all_tenants ON notification_templates TO fwa_notifier USING (true);
