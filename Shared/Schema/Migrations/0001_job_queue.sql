-- The job queue: one table, every service consumes its own queues.
CREATE TABLE fwa_jobs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    queue         text        NOT NULL CHECK (queue ~ '^[a-z][a-z0-9_-]{0,62}$'),
    kind          text        NOT NULL CHECK (length(kind) BETWEEN 1 AND 128),
    -- '' when the job belongs to no tenant; claims are fair across tenant_id values.
    tenant_id     text        NOT NULL DEFAULT '',
    payload       jsonb       NOT NULL DEFAULT '{}',
    state         text        NOT NULL DEFAULT 'available'
                  CHECK (state IN ('available', 'running', 'completed', 'failed', 'cancelled')),
    priority      smallint    NOT NULL DEFAULT 100,
    attempt       integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts  integer     NOT NULL DEFAULT 20 CHECK (max_attempts > 0),
    run_at        timestamptz NOT NULL DEFAULT now(),
    unique_key    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    attempted_at  timestamptz,
    heartbeat_at  timestamptz,
    finished_at   timestamptz,
    worker        text,
    last_error    text,
    errors        jsonb       NOT NULL DEFAULT '[]',
    CHECK (state <> 'running' OR heartbeat_at IS NOT NULL)
);

-- A unique key names one logical job for as long as its row exists (pruning frees it).
CREATE UNIQUE INDEX fwa_jobs_unique_key ON fwa_jobs (queue, unique_key) WHERE unique_key IS NOT NULL;
-- Claims: per queue, per tenant (a loose index scan finds the tenants), by priority then run_at.
CREATE INDEX fwa_jobs_available ON fwa_jobs (queue, tenant_id, priority, run_at, id) WHERE state = 'available';
-- Rescue of jobs whose worker stopped heartbeating.
CREATE INDEX fwa_jobs_running ON fwa_jobs (heartbeat_at) WHERE state = 'running';
-- Pruning and the dead-letter list.
CREATE INDEX fwa_jobs_finished ON fwa_jobs (finished_at) WHERE state IN ('completed', 'cancelled', 'failed');

-- A paused queue is skipped by every claim until it is resumed.
CREATE TABLE fwa_queue_pauses (
    queue      text PRIMARY KEY,
    paused_at  timestamptz NOT NULL DEFAULT now(),
    paused_by  text NOT NULL DEFAULT ''
);
