import Postgres

extension JobQueue {
    /// Enqueues one job in the connection's current transaction without waiting for its id: the
    /// statement joins the connection's pipeline and goes out with the transaction's next
    /// answered statement or its COMMIT. For callers that do not need the id, on the hot path.
    public static func pipeline(_ job: NewJob, on connection: PostgresConnection) {
        connection.pipeline(prepared: QueueSQL.enqueue, [
            job.queue, job.kind, job.tenantID, job.payload, job.priority, job.runAt, job.maxAttempts,
            job.uniqueKey, channel(for: job.queue),
        ])
    }
}
