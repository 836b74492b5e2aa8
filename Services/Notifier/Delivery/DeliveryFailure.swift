import Logging
import Queue

/// A failed attempt to deliver, classified: a permanent failure (SMTP 5xx, webhook 4xx) fails the
/// delivery and dead-letters its job; a transient one (SMTP 4xx, refused connection, timeout,
/// webhook 5xx) is recorded and retried with the queue's backoff.
struct DeliveryFailure: Error, Sendable, CustomStringConvertible {
    var permanent: Bool
    /// What the delivery log keeps as `last_error`.
    var message: String
    /// What logs show: no addresses, URLs or server text.
    var logSummary: String

    var description: String { message }

    /// Records the attempt on the delivery and throws what decides the job's fate:
    /// `JobError.discard` when permanent, this error (retry with backoff) otherwise. The last
    /// allowed attempt fails the delivery too.
    func record(on delivery: DeliveryRecord, context: JobContext, logger: Logger) async throws -> Never {
        let final = permanent || context.job.isLastAttempt
        let message = self.message
        try await context.pool.withConnection { connection in
            try DeliveryStore.recordFailure(delivery.id, error: message, final: final, on: connection)
        }
        if final { NotifierMetrics.failed(channel: delivery.channel) }
        let metadata: Logger.Metadata = ["error": "\(logSummary)", "attempt": "\(context.job.attempt)"]
        if permanent {
            logger.error("delivery failed permanently", metadata: metadata)
            throw JobError.discard(message)
        }
        if final {
            logger.error("delivery failed on its last attempt", metadata: metadata)
        } else {
            logger.warning("delivery failed; will retry", metadata: metadata)
        }
        throw self
    }
}
