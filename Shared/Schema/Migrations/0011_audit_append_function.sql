-- Audit events are appended only through `fwa_append_event`, which sets the id, the time and
-- checks the tenant from the session; no service role inserts into `events` itself (before: any
-- worker login and the intake's `fwa_api` could insert an event for any tenant, with any actor, a
-- past `at`, even `id = -1`, and the sealer chained it).
--
--   the intake (fwa_api, fwa_operator)   the tenant is the one its row-level-security transaction
--                                        set in `fwa.tenant_id`; another tenant, or a request of
--                                        another tenant, is refused.
--   a worker (fwa_router, fwa_checker,   only while it holds a job: the job (`fwa.job_id`,
--   fwa_notifier)                        `fwa.job_attempt`, set by `JobContext.completing`) must be
--                                        running at that attempt, of the event's tenant, and of the
--                                        event's request where its payload names one.
--   the schema's owner (fwactl)          inserts as it always could (it owns the table).
--
-- In every case `at` is the database's clock, `id` its identity and the seal the sealer's.
-- Refusals are 42501.

REVOKE INSERT ON events FROM fwa_api, fwa_operator;

-- The one insert, shared by both checked paths (not callable by any service role).
CREATE FUNCTION fwa_insert_event(tenant text, request uuid, actor text, action text, before jsonb, after jsonb)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    INSERT INTO events (tenant_id, request_id, at, actor, action, before, after)
    VALUES (tenant, request, date_trunc('microseconds', clock_timestamp()), actor, action, before, after);
END $$;

-- The intake's path: the tenant of the session's row-level-security transaction.
CREATE FUNCTION fwa_append_tenant_event(tenant text, request uuid, actor text, action text, before jsonb, after jsonb)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    session_tenant text := nullif(current_setting('fwa.tenant_id', true), '');
BEGIN
    IF session_tenant IS NULL OR session_tenant IS DISTINCT FROM tenant THEN
        RAISE EXCEPTION 'audit event for tenant % refused: the session''s tenant (fwa.tenant_id) is %', tenant, coalesce(session_tenant, 'not set')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF request IS NOT NULL AND NOT EXISTS (SELECT FROM requests r WHERE r.id = request AND r.tenant_id = tenant) THEN
        RAISE EXCEPTION 'audit event names request %, which is not a request of tenant %', request, tenant
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM fwa_insert_event(tenant, request, actor, action, before, after);
END $$;

-- The workers' path: the tenant (and request) of the job the worker holds.
CREATE FUNCTION fwa_append_job_event(job_id bigint, job_attempt integer, tenant text, request uuid, actor text, action text,
                                     before jsonb, after jsonb)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    held record;
BEGIN
    SELECT j.tenant_id, j.payload INTO held FROM fwa_jobs j WHERE j.id = job_id AND j.attempt = job_attempt AND j.state = 'running';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'audit event refused: job % attempt % is not running (a worker appends only for the job it holds)', job_id, job_attempt
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF held.tenant_id = '' OR held.tenant_id IS DISTINCT FROM tenant THEN
        RAISE EXCEPTION 'audit event for tenant % refused: job % belongs to tenant %', tenant, job_id, nullif(held.tenant_id, '')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF held.payload ? 'request_id' AND request IS DISTINCT FROM (held.payload ->> 'request_id')::uuid THEN
        RAISE EXCEPTION 'audit event for request % refused: job % is about request %', request, job_id, held.payload ->> 'request_id'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM fwa_insert_event(tenant, request, actor, action, before, after);
END $$;

-- What `AuditLog.append` calls. SECURITY INVOKER, so each path is checked against the caller's
-- own EXECUTE privilege: a worker without a held job falls to the intake's path and is refused.
CREATE FUNCTION fwa_append_event(tenant text, request uuid, actor text, action text, before jsonb, after jsonb)
RETURNS void LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, public AS $$
DECLARE
    job text := nullif(current_setting('fwa.job_id', true), '');
BEGIN
    IF job IS NOT NULL THEN
        PERFORM fwa_append_job_event(job::bigint, current_setting('fwa.job_attempt')::integer, tenant, request, actor, action, before, after);
    ELSIF has_table_privilege('public.events', 'INSERT') THEN
        -- The schema's owner (fwactl, tests), which could insert directly anyway: as it always did.
        INSERT INTO events (tenant_id, request_id, at, actor, action, before, after)
        VALUES (tenant, request, date_trunc('microseconds', clock_timestamp()), actor, action, before, after);
    ELSE
        PERFORM fwa_append_tenant_event(tenant, request, actor, action, before, after);
    END IF;
END $$;

REVOKE ALL ON FUNCTION fwa_insert_event(text, uuid, text, text, jsonb, jsonb),
                       fwa_append_tenant_event(text, uuid, text, text, jsonb, jsonb),
                       fwa_append_job_event(bigint, integer, text, uuid, text, text, jsonb, jsonb),
                       fwa_append_event(text, uuid, text, text, jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fwa_append_event(text, uuid, text, text, jsonb, jsonb)
    TO fwa_api, fwa_operator, fwa_router, fwa_checker, fwa_notifier;
GRANT EXECUTE ON FUNCTION fwa_append_tenant_event(text, uuid, text, text, jsonb, jsonb) TO fwa_api, fwa_operator;
GRANT EXECUTE ON FUNCTION fwa_append_job_event(bigint, integer, text, uuid, text, text, jsonb, jsonb)
    TO fwa_router, fwa_checker, fwa_notifier;
