BEGIN;
INSERT INTO fwa_jobs (queue, kind) VALUES ('pgbench_enqueue', 'noop');
SELECT pg_notify('fwa_jobs_pgbench_enqueue', '');
COMMIT;
