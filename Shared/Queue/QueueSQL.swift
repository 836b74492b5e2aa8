/// The queue's SQL, named, in one place.
enum QueueSQL {
    static let jobColumns =
        "id, queue, kind, tenant_id, payload::text AS payload, attempt, max_attempts, created_at, run_at, unique_key"

    /// $1 queue, $2 kind, $3 tenant, $4 payload, $5 priority, $6 run_at (NULL = now), $7 max attempts,
    /// $8 unique key, $9 channel. Notifies only when a row was inserted.
    static let enqueue = """
        WITH inserted AS (
            INSERT INTO fwa_jobs (queue, kind, tenant_id, payload, priority, run_at, max_attempts, unique_key)
            VALUES ($1, $2, $3, $4::jsonb, $5, COALESCE($6::timestamptz, now()), $7, $8)
            ON CONFLICT (queue, unique_key) WHERE unique_key IS NOT NULL DO NOTHING
            RETURNING id
        )
        SELECT inserted.id FROM inserted CROSS JOIN LATERAL (SELECT pg_notify($9, '')) AS notified
        """

    /// `enqueue` without the notification, for a transaction that notifies after its COMMIT
    /// (`PostgresConnection.notifyAfterCommit`). $1–$8 as in `enqueue`.
    static let enqueueQuietly = """
        INSERT INTO fwa_jobs (queue, kind, tenant_id, payload, priority, run_at, max_attempts, unique_key)
        VALUES ($1, $2, $3, $4::jsonb, $5, COALESCE($6::timestamptz, now()), $7, $8)
        ON CONFLICT (queue, unique_key) WHERE unique_key IS NOT NULL DO NOTHING
        RETURNING id
        """

    static let findUnique = "SELECT id FROM fwa_jobs WHERE queue = $1 AND unique_key = $2"

    /// The CTEs that choose up to $2 jobs of queue $1 (only of the tenants in $4 unless it is
    /// NULL), fairly across tenants. A loose index scan finds each (tenant, priority) group with
    /// available jobs, one index descent per group; each group offers its first $2 due jobs
    /// (locked with SKIP LOCKED), read from the index in `run_at` order so that the scan stops at
    /// the first job not yet due: jobs scheduled for later (reminders, escalations, retries) cost
    /// nothing however many there are. A tenant's offers are interleaved round-robin with the
    /// other tenants' before the limit applies. Ends with `groups (tenant_id, priority)` and
    /// `chosen (id)`.
    private static let chooseFairly = """
        groups AS (
            (SELECT tenant_id, priority FROM fwa_jobs
              WHERE queue = $1 AND state = 'available' AND ($4::text[] IS NULL OR tenant_id = ANY($4::text[]))
                AND NOT EXISTS (SELECT 1 FROM fwa_queue_pauses p WHERE p.queue = $1)
              ORDER BY tenant_id, priority LIMIT 1)
            UNION ALL
            SELECT further.tenant_id, further.priority
              FROM groups g
             CROSS JOIN LATERAL (
                SELECT j.tenant_id, j.priority FROM fwa_jobs j
                 WHERE j.queue = $1 AND j.state = 'available' AND (j.tenant_id, j.priority) > (g.tenant_id, g.priority)
                   AND ($4::text[] IS NULL OR j.tenant_id = ANY($4::text[]))
                 ORDER BY j.tenant_id, j.priority LIMIT 1
             ) further
        ),
        offers AS (
            SELECT o.id, o.priority, o.run_at,
                   row_number() OVER (PARTITION BY g.tenant_id ORDER BY o.priority, o.run_at, o.id) AS turn
              FROM groups g
             CROSS JOIN LATERAL (
                SELECT j.id, j.priority, j.run_at FROM fwa_jobs j
                 WHERE j.queue = $1 AND j.tenant_id = g.tenant_id AND j.priority = g.priority
                   AND j.state = 'available' AND j.run_at <= now()
                 ORDER BY j.run_at, j.id
                 LIMIT $2
                 FOR UPDATE SKIP LOCKED
             ) o
        ),
        chosen AS (
            SELECT id FROM offers ORDER BY turn, priority, run_at, id LIMIT $2
        )
        """

    /// Flips the chosen jobs to running for worker $3 and returns them.
    private static let takeChosen = """
        UPDATE fwa_jobs j
           SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), heartbeat_at = now(), worker = $3
          FROM chosen
         WHERE j.id = chosen.id
        RETURNING j.id, j.queue, j.kind, j.tenant_id, j.payload::text AS payload, j.attempt, j.max_attempts,
                  j.created_at, j.run_at, j.unique_key
        """

    /// Claims up to $2 jobs of queue $1 for worker $3 (only of the tenants in $4 unless it is
    /// NULL), fairly across tenants (see `chooseFairly`).
    static let claim = "WITH RECURSIVE " + chooseFairly + "\n" + takeChosen

    /// The worker's one statement per round: completes the (id, attempt) pairs in $5, $6 that
    /// are still running, claims up to $2 jobs as `claim` does, and adds a last row (id NULL) whose
    /// `wait` is, when it claimed fewer than $2, the seconds until the next scheduled job of the
    /// tenants it may claim (NULL: none, the queue is paused, or not looked up). One round trip
    /// and one commit instead of three statements.
    ///
    /// The commit is asynchronous (`synchronous_commit = off` for this transaction only): it
    /// does not wait for the WAL flush. A claim or completion lost to a database crash only
    /// makes the job run again, which at-least-once execution allows; any later durable commit
    /// (a handler's own transaction, an enqueue) flushes it first, since the WAL is sequential.
    static let completeAndClaim = """
        WITH RECURSIVE completed AS (
            UPDATE fwa_jobs d SET state = 'completed', finished_at = now(), heartbeat_at = NULL, worker = NULL
              FROM unnest($5::bigint[], $6::integer[]) AS done(id, attempt)
             WHERE d.id = done.id AND d.attempt = done.attempt AND d.state = 'running'
        ),
        \(chooseFairly),
        claimed AS (
        \(takeChosen)
        ),
        asynchronous AS (SELECT set_config('synchronous_commit', 'off', true) AS setting)
        SELECT c.id, c.queue, c.kind, c.tenant_id, c.payload, c.attempt, c.max_attempts, c.created_at, c.run_at,
               c.unique_key, NULL::float8 AS wait
          FROM claimed c
        UNION ALL
        SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               CASE WHEN (SELECT count(*) FROM claimed) < $2 THEN
                   (SELECT EXTRACT(EPOCH FROM min(later.run_at) - now())::float8
                      FROM groups g
                     CROSS JOIN LATERAL (
                        SELECT n.run_at FROM fwa_jobs n
                         WHERE n.queue = $1 AND n.tenant_id = g.tenant_id AND n.priority = g.priority
                           AND n.state = 'available' AND n.run_at > now()
                         ORDER BY n.run_at LIMIT 1
                     ) later)
               END
          FROM asynchronous
        """

    /// Completes the (id, attempt) pairs in $1, $2 that are still running.
    static let complete = """
        UPDATE fwa_jobs j SET state = 'completed', finished_at = now(), heartbeat_at = NULL, worker = NULL
          FROM unnest($1::bigint[], $2::integer[]) AS done(id, attempt)
         WHERE j.id = done.id AND j.attempt = done.attempt AND j.state = 'running'
        """

    /// Records a failure of $1 at attempt $2 with error $3: retry after $4 seconds, or dead letter
    /// when the attempts are used up or $5 (discard) is true.
    static let fail = """
        UPDATE fwa_jobs
           SET state = CASE WHEN $5::boolean OR attempt >= max_attempts THEN 'failed' ELSE 'available' END,
               run_at = CASE WHEN $5::boolean OR attempt >= max_attempts THEN run_at
                             ELSE now() + make_interval(secs => $4::double precision) END,
               finished_at = CASE WHEN $5::boolean OR attempt >= max_attempts THEN now() END,
               last_error = $3,
               errors = errors || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', now(), 'error', $3::text)),
               heartbeat_at = NULL, worker = NULL
         WHERE id = $1 AND attempt = $2 AND state = 'running'
        RETURNING state
        """

    /// Puts $1 back to run after $3 seconds without counting attempt $2. `attempt` only ever grows
    /// (it fences completions), so the attempt is given back through `max_attempts`.
    static let snooze = """
        UPDATE fwa_jobs SET state = 'available', max_attempts = max_attempts + 1, run_at = now() + make_interval(secs => $3::double precision),
               heartbeat_at = NULL, worker = NULL
         WHERE id = $1 AND attempt = $2 AND state = 'running'
        """

    /// Releases held jobs at shutdown: they run again at once, the interrupted attempt not counted.
    static let release = """
        UPDATE fwa_jobs j SET state = 'available', max_attempts = j.max_attempts + 1, run_at = now(), heartbeat_at = NULL, worker = NULL
          FROM unnest($1::bigint[], $2::integer[]) AS held(id, attempt)
         WHERE j.id = held.id AND j.attempt = held.attempt AND j.state = 'running'
        """

    /// Completes job $1 at attempt $2 if it is still running; 0 rows means it is no longer ours.
    static let completeOne = """
        UPDATE fwa_jobs SET state = 'completed', finished_at = now(), heartbeat_at = NULL, worker = NULL
         WHERE id = $1 AND attempt = $2 AND state = 'running'
        """

    static let heartbeat = """
        UPDATE fwa_jobs SET heartbeat_at = now() WHERE id = ANY($1::bigint[]) AND state = 'running'
        """

    /// Running jobs silent for more than $1 seconds: retried (or dead-lettered when out of attempts).
    static let rescue = """
        UPDATE fwa_jobs
           SET state = CASE WHEN attempt >= max_attempts THEN 'failed' ELSE 'available' END,
               finished_at = CASE WHEN attempt >= max_attempts THEN now() END,
               run_at = now(),
               last_error = 'rescued: its worker stopped heartbeating',
               errors = errors || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', now(), 'error', 'rescued: its worker stopped heartbeating')),
               heartbeat_at = NULL, worker = NULL
         WHERE state = 'running' AND heartbeat_at < now() - make_interval(secs => $1::double precision)
        RETURNING queue
        """

    /// Deletes up to $2 completed or cancelled jobs finished more than $1 seconds ago.
    static let prune = """
        DELETE FROM fwa_jobs WHERE id IN (
            SELECT id FROM fwa_jobs
             WHERE state IN ('completed', 'cancelled') AND finished_at < now() - make_interval(secs => $1::double precision)
             LIMIT $2)
        """
}
