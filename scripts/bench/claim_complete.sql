-- The queue's claim for one tenant (the same index path as QueueSQL.claim) plus a completing UPDATE.
BEGIN;
UPDATE fwa_jobs SET state = 'running', attempt = attempt + 1, heartbeat_at = now()
 WHERE id = (SELECT id FROM fwa_jobs WHERE queue = 'pgbench_claim' AND tenant_id = '' AND state = 'available'
              ORDER BY priority, run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING id \gset
UPDATE fwa_jobs SET state = 'completed', finished_at = now(), heartbeat_at = NULL WHERE id = :id;
COMMIT;
