-- Least privilege for the services. The role that runs migrations and `fwactl` owns every object
-- and keeps every right; the services log in as roles that own nothing and are neither superuser
-- nor BYPASSRLS. This migration creates NOLOGIN group roles only (roles are cluster-wide: each is
-- created when missing); an operator creates one LOGIN role per service in its group
-- (docs/operations.md, "Database roles"):
--
--   fwa_intake    the intake's logins. NOINHERIT: it holds no table privilege of its own and does
--                 not inherit those of fwa_api or fwa_operator; a session must `SET LOCAL ROLE` to
--                 one of them, under row-level security for the tenant in `fwa.tenant_id`. Its own
--                 rights: the SECURITY DEFINER lookups below, reading the migrations table.
--   fwa_operator  the platform operator's routes of the intake: a tenant's policy versions and
--                 identity settings, for the tenant in `fwa.tenant_id` only.
--   fwa_worker    the approval-router, compliance-checker and notifier logins: cross-tenant DML on
--                 exactly the tables their SQL uses, no DDL, no API keys, identity settings,
--                 delegations or idempotency records.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fwa_intake') THEN
        CREATE ROLE fwa_intake NOLOGIN NOINHERIT NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fwa_operator') THEN
        CREATE ROLE fwa_operator NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fwa_worker') THEN
        CREATE ROLE fwa_worker NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END $$;

-- The intake switches to these per transaction; membership through a NOINHERIT role lets it
-- `SET ROLE` without holding their privileges outside the switch.
GRANT fwa_api TO fwa_intake;
GRANT fwa_operator TO fwa_intake;

-- Nobody but the owner creates objects in the schema (PostgreSQL 15's default, made explicit for
-- databases created from an older template).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Readiness (`/readyz`) compares the applied migrations with the binary's.
GRANT SELECT ON fwa_schema_migrations TO fwa_intake, fwa_worker;

-- Operator routes: policy versions and identity settings of the tenant in fwa.tenant_id.
GRANT SELECT, INSERT, UPDATE ON tenants TO fwa_operator;
GRANT SELECT, INSERT ON tenant_versions TO fwa_operator;
GRANT SELECT, INSERT, UPDATE ON tenant_identity TO fwa_operator;
GRANT SELECT, INSERT ON events TO fwa_operator;
GRANT SELECT, INSERT, UPDATE ON idempotency_keys TO fwa_operator;
CREATE POLICY operator_tenant ON tenants TO fwa_operator USING (id = current_setting('fwa.tenant_id', true));
CREATE POLICY operator_tenant ON tenant_versions TO fwa_operator USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY operator_tenant ON tenant_identity TO fwa_operator USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY operator_tenant ON events TO fwa_operator USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY operator_tenant ON idempotency_keys TO fwa_operator USING (tenant_id = current_setting('fwa.tenant_id', true));

-- Workers: the queue (claim, complete, retry, rescue, prune, enqueue) and the business tables
-- they route, check and notify with. Every tenant's rows, through policies that name only them.
GRANT SELECT, INSERT, UPDATE, DELETE ON fwa_jobs TO fwa_worker;
GRANT USAGE ON SEQUENCE fwa_jobs_id_seq TO fwa_worker;
GRANT SELECT ON fwa_queue_pauses TO fwa_worker;
GRANT SELECT ON tenants, tenant_versions, notification_templates TO fwa_worker;
GRANT SELECT, UPDATE ON requests, request_steps TO fwa_worker;
GRANT SELECT, INSERT ON events, alerts, notification_events, action_tokens, webhook_secrets TO fwa_worker;
GRANT SELECT, INSERT, UPDATE ON deliveries TO fwa_worker;
CREATE POLICY worker_all_tenants ON fwa_jobs TO fwa_worker USING (true) WITH CHECK (true);
CREATE POLICY worker_all_tenants ON tenants TO fwa_worker USING (true);
CREATE POLICY worker_all_tenants ON tenant_versions TO fwa_worker USING (true);
CREATE POLICY worker_all_tenants ON notification_templates TO fwa_worker USING (true);
CREATE POLICY worker_all_tenants ON requests TO fwa_worker USING (true) WITH CHECK (true);
CREATE POLICY worker_all_tenants ON request_steps TO fwa_worker USING (true) WITH CHECK (true);
CREATE POLICY worker_all_tenants ON events TO fwa_worker USING (true) WITH CHECK (true);
CREATE POLICY worker_all_tenants ON alerts TO fwa_worker USING (true) WITH CHECK (true);
CREATE POLICY worker_all_tenants ON notification_events TO fwa_worker USING (true) WITH CHECK (true);
CREATE POLICY worker_all_tenants ON action_tokens TO fwa_worker USING (true) WITH CHECK (true);
CREATE POLICY worker_all_tenants ON webhook_secrets TO fwa_worker USING (true) WITH CHECK (true);
CREATE POLICY worker_all_tenants ON deliveries TO fwa_worker USING (true) WITH CHECK (true);

-- The intake's lookups before a tenant is known. SECURITY DEFINER (they run as the owner, past
-- row-level security), so each takes exactly the key it looks up, returns only the matching row's
-- columns the caller needs, and fixes its search_path.

-- The API key whose secret hashes to `hash` (hex SHA-256), of any tenant; never the hash itself.
CREATE FUNCTION fwa_api_key_by_hash(hash text)
    RETURNS TABLE (id uuid, tenant_id text, name text, scopes text, created_at timestamptz, revoked_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT k.id, k.tenant_id, k.name, array_to_string(k.scopes, ','), k.created_at, k.revoked_at
      FROM api_keys k
     WHERE hash ~ '^[0-9a-f]{64}$' AND k.secret_hash = hash
$$;

-- The action token `token` (the id inside a signed action link), of any tenant.
CREATE FUNCTION fwa_action_token(token uuid)
    RETURNS TABLE (id uuid, tenant_id text, request_id uuid, step_idx integer, approver_email text,
                   expires_at timestamptz, used_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT t.id, t.tenant_id, t.request_id, t.step_idx, t.approver_email, t.expires_at, t.used_at
      FROM action_tokens t
     WHERE t.id = token
$$;

-- Deletes up to `batch` (1…10000) idempotency records older than a day, of every tenant; returns
-- how many it deleted.
CREATE FUNCTION fwa_prune_idempotency_keys(batch integer)
    RETURNS integer
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    WITH gone AS (
        DELETE FROM idempotency_keys WHERE ctid IN (
            SELECT ctid FROM idempotency_keys WHERE created_at < now() - interval '1 day'
             LIMIT greatest(1, least(batch, 10000)))
        RETURNING 1)
    SELECT count(*)::integer FROM gone
$$;

-- Functions are executable by PUBLIC unless revoked.
REVOKE ALL ON FUNCTION fwa_api_key_by_hash(text), fwa_action_token(uuid), fwa_prune_idempotency_keys(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fwa_api_key_by_hash(text), fwa_action_token(uuid), fwa_prune_idempotency_keys(integer) TO fwa_intake;
