import Foundation
import Postgres

/// Enqueueing and the queue's administrative operations, on a caller's connection so that they
/// join the caller's transaction: a job exists if and only if the business change that made it
/// committed, and `pg_notify` is delivered only on commit.
public enum JobQueue {
    /// The NOTIFY channel for a queue.
    public static func channel(for queue: String) -> String { "fwa_jobs_\(queue)" }

    /// Enqueues one job in the connection's current transaction; the workers are woken once it
    /// has committed (`PostgresConnection.notifyAfterCommit`). Outside a transaction the insert
    /// commits on its own and the wake-up follows its COMMIT, in one round trip
    /// (`PostgresConnection.committing(prepared:_:thenNotify:)`).
    @discardableResult
    public static func enqueue(_ job: NewJob, on connection: PostgresConnection) throws -> EnqueuedJob {
        let result: PostgresResult
        if connection.isInTransactionBody {
            result = try connection.query(prepared: QueueSQL.enqueueQuietly, insertParameters(job))
            if !result.rows.isEmpty { connection.notifyAfterCommit(channel(for: job.queue)) }
        } else {
            result = try connection.committing(
                prepared: QueueSQL.enqueueQuietly, insertParameters(job), thenNotify: [channel(for: job.queue)])
        }
        if let row = result.first { return EnqueuedJob(id: try row.decode("id"), inserted: true) }
        guard let key = job.uniqueKey,
            let existing = try connection.query(prepared: QueueSQL.findUnique, [job.queue, key]).first
        else {
            throw PostgresError(kind: .server, message: "enqueue inserted no job and found no job with its unique key")
        }
        return EnqueuedJob(id: try existing.decode("id"), inserted: false)
    }

    /// Enqueues one job in a transaction of its own, the workers woken after its COMMIT, in one
    /// round trip. For a job that goes with no other change; when the job goes with a business
    /// change, enqueue it on that change's connection, in its transaction, instead.
    /// Throws `PostgresError` when called on a pool that is shut down.
    @discardableResult
    public static func enqueue(_ job: NewJob, on pool: PostgresPool) async throws -> EnqueuedJob {
        try await pool.withConnection { connection in try enqueue(job, on: connection) }
    }

    /// Enqueues many jobs in one statement per 500 (one round trip, one notification per queue).
    @discardableResult
    public static func enqueue(batch jobs: [NewJob], on connection: PostgresConnection) throws -> [EnqueuedJob] {
        guard jobs.contains(where: { $0.uniqueKey != nil }) == false else {
            return try jobs.map { try enqueue($0, on: connection) }
        }
        var enqueued: [EnqueuedJob] = []
        for start in stride(from: 0, to: jobs.count, by: 500) {
            let slice = jobs[start..<min(start + 500, jobs.count)]
            let result = try connection.query(batchInsertSQL(count: slice.count), batchParameters(slice))
            enqueued += try result.rows.map { EnqueuedJob(id: try $0.decode("id"), inserted: true) }
        }
        for queue in Set(jobs.map(\.queue)) {
            if connection.isInTransactionBody {
                connection.notifyAfterCommit(channel(for: queue))
            } else {
                try connection.query("SELECT pg_notify($1, '')", channel(for: queue))
            }
        }
        return enqueued
    }

    /// $1–$8 of `QueueSQL.enqueue` and `QueueSQL.enqueueQuietly`.
    static func insertParameters(_ job: NewJob) -> [any PostgresEncodable] {
        [job.queue, job.kind, job.tenantID, job.payload, job.priority, job.runAt, job.maxAttempts, job.uniqueKey]
    }

    private static func batchInsertSQL(count: Int) -> String {
        let rows = (0..<count).map { row in
            let base = row * 7
            return
                "($\(base + 1), $\(base + 2), $\(base + 3), $\(base + 4)::jsonb, $\(base + 5), COALESCE($\(base + 6)::timestamptz, now()), $\(base + 7))"
        }
        return "INSERT INTO fwa_jobs (queue, kind, tenant_id, payload, priority, run_at, max_attempts) VALUES "
            + rows.joined(separator: ", ") + " RETURNING id"
    }

    private static func batchParameters(_ jobs: ArraySlice<NewJob>) -> [any PostgresEncodable] {
        jobs.flatMap { job -> [any PostgresEncodable] in
            [job.queue, job.kind, job.tenantID, job.payload, job.priority, job.runAt, job.maxAttempts]
        }
    }

    /// Cancels jobs by unique key that have not finished (e.g. an SLA reminder once its step is
    /// decided). Returns how many it cancelled.
    @discardableResult
    public static func cancel(queue: String, uniqueKeys: [String], on connection: PostgresConnection) throws -> Int {
        try connection.query(
            """
            UPDATE fwa_jobs SET state = 'cancelled', finished_at = now(), heartbeat_at = NULL, worker = NULL
             WHERE queue = $1 AND unique_key = ANY($2::text[]) AND state IN ('available', 'running')
            """, queue, uniqueKeys
        ).affectedRows
    }
}
