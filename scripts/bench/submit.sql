-- pgbench script (-M prepared): the SQL of one intake submit, in the intake's own five round trips
-- (scripts/bench-system, "submit-sql"): the API-key lookup; BEGIN, role, tenant and the
-- idempotency record; the tenant's active policy version; the per-employee lock with the overlap
-- check; the request, its two steps, the audit event, the routing job, the idempotency answer and
-- COMMIT, then the workers' wake-up (pg_notify in a transaction of its own, committed
-- asynchronously: PostgresConnection.notifyAfterCommit). The database's own limit for benchmark 5,
-- without HTTP, JSON or the policy engine. Needs -D keyhash=<SHA-256 hex of a live API key of tenant mit>.
\set r random(1, 9000000000000000000)
SELECT id, tenant_id, name, scopes, created_at, revoked_at FROM fwa_api_key_by_hash(:keyhash);
\startpipeline
BEGIN;
SET LOCAL ROLE fwa_api;
SELECT set_config('fwa.tenant_id', 'mit', true);
INSERT INTO idempotency_keys (tenant_id, key, method, path, request_hash)
VALUES ('mit', md5('key' || :r) || md5('k2' || :r), 'POST', '/v1/tenants/mit/requests', md5('body' || :r) || md5('b2' || :r))
ON CONFLICT (tenant_id, key) DO NOTHING;
\endpipeline
SELECT active_version FROM tenants WHERE id = 'mit';
\startpipeline
SELECT pg_advisory_xact_lock(hashtext('fwa_submit'), hashtext('mit/emp-' || :r || '@example.edu'));
SELECT id FROM requests
 WHERE employee_email = 'emp-' || :r || '@example.edu' AND arrangement_type = 'hybrid'
   AND status IN ('submitted', 'routing', 'pending_approval', 'approved', 'active')
   AND (end_date IS NULL OR end_date >= '2027-01-04'::date) AND ('2027-06-30'::date IS NULL OR start_date <= '2027-06-30'::date)
 LIMIT 1;
\endpipeline
\startpipeline
INSERT INTO requests (id, tenant_id, policy_version, status, arrangement_type, employee_email, supervisor_email,
                      start_date, end_date, location_country, location_region, input, evaluation)
VALUES (md5('request' || :r)::uuid, 'mit', 1, 'submitted', 'hybrid', 'emp-' || :r || '@example.edu', 'sup-' || :r || '@example.edu',
        '2027-01-04'::date, '2027-06-30'::date, 'US', 'MA',
        '{"fields": {}, "employee": {"name": "Pat Doe", "email": "emp-1@example.edu", "exempt": true, "department": "physics", "last_rating": "meets_expectations", "employee_class": "administrative", "months_employed": 30, "covered_by_collective_agreement": false}, "end_date": "2027-06-30", "location": {"region": "MA", "country": "US"}, "start_date": "2027-01-04", "attestations": {"free_from_distractions": true, "no_regular_dependent_care": true}, "submitted_on": "2026-11-28", "justification": "Lab work Mon-Wed, analysis at home.", "arrangement_type": "hybrid", "supervisor_email": "sup-1@example.edu", "remote_days_per_week": 2}'::jsonb,
        '{"chain": [{"role": "supervisor", "index": 0, "step_id": "supervisor", "citation": "EPM 3.1: both the department head and direct supervisor must approve all flexible work arrangements", "due_date": "2026-12-11", "delegable": false, "delegable_to": [], "approver_email": "sup-1@example.edu", "escalation_role": "department_head", "escalation_email": "physics-head@example.edu", "sla_business_days": 10}, {"role": "department_head", "index": 1, "step_id": "department_head", "citation": "Work Planning Steps, Step Four: the department head may delegate to an administrative officer, a human resources administrator, or other administrator; someone in addition to the direct supervisor must approve", "due_date": "2026-12-28", "delegable": true, "delegable_to": ["administrative_officer", "hr_administrator"], "approver_email": "physics-head@example.edu", "sla_business_days": 10}], "eligible": true, "findings": [], "warnings": [], "violations": [], "distinct_approvers": true}'::jsonb);
INSERT INTO request_steps (request_id, idx, tenant_id, step_id, role, approver_email, status, sla_business_days,
                           due_date, escalation_role, escalation_email, delegable, delegable_to, added_by)
VALUES (md5('request' || :r)::uuid, 0, 'mit', 'supervisor', 'supervisor', 'sup-' || :r || '@example.edu', 'pending', 10,
        '2026-12-11'::date, 'department_head', 'physics-head@example.edu', false, '{}'::text[], NULL);
INSERT INTO request_steps (request_id, idx, tenant_id, step_id, role, approver_email, status, sla_business_days,
                           due_date, escalation_role, escalation_email, delegable, delegable_to, added_by)
VALUES (md5('request' || :r)::uuid, 1, 'mit', 'department_head', 'department_head', 'physics-head@example.edu', 'pending', 10,
        '2026-12-28'::date, NULL, NULL, true, '{administrative_officer,hr_administrator}'::text[], NULL);
INSERT INTO events (tenant_id, request_id, at, actor, action, before, after)
VALUES ('mit', md5('request' || :r)::uuid, date_trunc('microseconds', clock_timestamp()), 'api-key/bench', 'submitted', NULL,
        '{"status": "submitted", "policy_version": "1"}'::jsonb);
INSERT INTO fwa_jobs (queue, kind, tenant_id, payload, priority, run_at, max_attempts, unique_key)
VALUES ('pgbench_submit', 'request.submitted', 'mit', ('{"request_id": "' || md5('request' || :r)::uuid || '"}')::jsonb, 0, now(), 25,
        'submitted:' || md5('request' || :r)::uuid)
ON CONFLICT (queue, unique_key) WHERE unique_key IS NOT NULL DO NOTHING
RETURNING id;
UPDATE idempotency_keys SET status = 202, headers = '{"location": "http://127.0.0.1/v1/tenants/mit/requests/x"}'::jsonb,
       body = convert_to('{"status":"submitted","id":"' || md5('request' || :r)::uuid || '","policy_version":1}', 'UTF8')
 WHERE tenant_id = 'mit' AND key = md5('key' || :r) || md5('k2' || :r);
COMMIT;
BEGIN;
SET LOCAL synchronous_commit TO off;
SELECT pg_notify('fwa_jobs_pgbench_submit', '');
COMMIT;
\endpipeline
