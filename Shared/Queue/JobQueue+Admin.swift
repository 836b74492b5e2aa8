import Foundation
import Postgres

/// Counts of jobs in one state, for one queue and tenant.
public struct QueueCount: Sendable, Equatable {
    public let queue: String
    public let tenantID: String
    public let state: String
    public let count: Int
    /// Seconds since the oldest job in this group became runnable (available jobs only).
    public let oldestAgeSeconds: Double?
}

/// A failed (dead-letter) or other job, as shown to an operator.
public struct JobSummary: Sendable {
    public let id: Int64
    public let queue: String
    public let kind: String
    public let tenantID: String
    public let state: String
    public let attempt: Int
    public let maxAttempts: Int
    public let runAt: Date
    public let finishedAt: Date?
    public let lastError: String?
    public let payload: JSONText
    public let errors: JSONText
}

extension JobQueue {
    /// Jobs per queue, tenant and state (completed jobs excluded: they are history).
    public static func stats(on connection: PostgresConnection) throws -> [QueueCount] {
        try connection.query(
            """
            SELECT queue, tenant_id, state, count(*)::bigint AS n,
                   EXTRACT(EPOCH FROM now() - min(run_at) FILTER (WHERE state = 'available' AND run_at <= now()))::float8 AS age
              FROM fwa_jobs WHERE state <> 'completed'
             GROUP BY queue, tenant_id, state ORDER BY queue, tenant_id, state
            """
        ).rows.map { row in
            QueueCount(
                queue: try row.decode("queue"), tenantID: try row.decode("tenant_id"), state: try row.decode("state"),
                count: try row.decode("n"), oldestAgeSeconds: try row.decodeIfPresent("age"))
        }
    }

    /// Jobs in a state (default: failed, the dead letters), newest first.
    public static func list(
        state: String = "failed", queue: String? = nil, limit: Int = 50, on connection: PostgresConnection
    ) throws -> [JobSummary] {
        try connection.query(
            """
            SELECT id, queue, kind, tenant_id, state, attempt, max_attempts, run_at, finished_at, last_error,
                   payload::text AS payload, errors::text AS errors
              FROM fwa_jobs WHERE state = $1 AND ($2::text IS NULL OR queue = $2)
             ORDER BY id DESC LIMIT $3
            """, state, queue, limit
        ).rows.map(summary(row:))
    }

    /// One job by id.
    public static func find(id: Int64, on connection: PostgresConnection) throws -> JobSummary? {
        try connection.query(
            """
            SELECT id, queue, kind, tenant_id, state, attempt, max_attempts, run_at, finished_at, last_error,
                   payload::text AS payload, errors::text AS errors
              FROM fwa_jobs WHERE id = $1
            """, id
        ).first.map(summary(row:))
    }

    /// Makes failed or cancelled jobs runnable again now, with a fresh set of attempts.
    /// Returns the ids it changed.
    @discardableResult
    public static func retry(ids: [Int64], on connection: PostgresConnection) throws -> [Int64] {
        let rows = try connection.query(
            """
            UPDATE fwa_jobs SET state = 'available', attempt = 0, run_at = now(), finished_at = NULL
             WHERE id = ANY($1::bigint[]) AND state IN ('failed', 'cancelled')
            RETURNING id, queue
            """, ids
        ).rows
        for queue in Set(try rows.map { try $0.decode("queue", as: String.self) }) {
            try connection.query("SELECT pg_notify($1, '')", channel(for: queue))
        }
        return try rows.map { try $0.decode("id") }
    }

    /// Cancels jobs that have not finished. A running job's worker finds it cancelled when it
    /// tries to complete it, and its transaction rolls back. Returns the ids it changed.
    @discardableResult
    public static func cancel(ids: [Int64], on connection: PostgresConnection) throws -> [Int64] {
        try connection.query(
            """
            UPDATE fwa_jobs SET state = 'cancelled', finished_at = now(), heartbeat_at = NULL, worker = NULL
             WHERE id = ANY($1::bigint[]) AND state IN ('available', 'running', 'failed')
            RETURNING id
            """, ids
        ).rows.map { try $0.decode("id") }
    }

    /// Stops claims from a queue until it is resumed.
    public static func pause(queue: String, by operator: String, on connection: PostgresConnection) throws {
        try connection.query(
            "INSERT INTO fwa_queue_pauses (queue, paused_by) VALUES ($1, $2) ON CONFLICT (queue) DO NOTHING", queue,
            `operator`)
    }

    /// Resumes a paused queue and wakes its workers.
    public static func resume(queue: String, on connection: PostgresConnection) throws {
        try connection.query("DELETE FROM fwa_queue_pauses WHERE queue = $1", queue)
        try connection.query("SELECT pg_notify($1, '')", channel(for: queue))
    }

    /// The paused queues.
    public static func pausedQueues(on connection: PostgresConnection) throws -> [String] {
        try connection.query("SELECT queue FROM fwa_queue_pauses ORDER BY queue").rows.map { try $0.decode("queue") }
    }

    private static func summary(row: PostgresRow) throws -> JobSummary {
        JobSummary(
            id: try row.decode("id"), queue: try row.decode("queue"), kind: try row.decode("kind"),
            tenantID: try row.decode("tenant_id"), state: try row.decode("state"), attempt: try row.decode("attempt"),
            maxAttempts: try row.decode("max_attempts"), runAt: try row.decode("run_at"),
            finishedAt: try row.decodeIfPresent("finished_at"), lastError: try row.decodeIfPresent("last_error"),
            payload: try row.decode("payload"), errors: try row.decode("errors"))
    }
}
