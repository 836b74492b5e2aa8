import Postgres

extension JobQueue {
    /// Enqueues one job in the connection's current transaction without waiting for its id: the
    /// statement joins the connection's pipeline and goes out with the transaction's next
    /// answered statement or its COMMIT. For callers that do not need the id, on the hot path.
    /// The workers are woken after the COMMIT (`PostgresConnection.notifyAfterCommit`).
    public static func pipeline(_ job: NewJob, on connection: PostgresConnection) {
        if connection.isInTransactionBody {
            connection.pipeline(prepared: QueueSQL.enqueueQuietly, insertParameters(job))
            connection.notifyAfterCommit(channel(for: job.queue))
        } else {
            connection.pipeline(prepared: QueueSQL.enqueue, insertParameters(job) + [channel(for: job.queue)])
        }
    }
}
