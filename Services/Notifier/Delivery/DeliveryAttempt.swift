import Logging
import Queue

/// One attempt to send a delivery and what each way it can end means, for both channels: the
/// send runs with a marking connection reserved beforehand; once the receiver accepted and the
/// delivery is marked, a later failure is only logged; accepted but not marked, the job is retried
/// (the receiver sees the same id again); the database unreachable before sending, retried;
/// anything else is classified by `failure` and recorded on the delivery.
struct DeliveryAttempt {
    /// `email` or `webhook`, for the logs.
    let noun: String
    let delivery: DeliveryRecord
    let context: JobContext
    let logger: Logger
    let progress = DeliveryProgress()

    /// Runs `send`; returns its value, or nil when it failed after the delivery was marked.
    func run<T: Sendable>(
        marker: DeliveryMarker, failure: (any Error) -> DeliveryFailure,
        send: (DeliveryMarker.ReadyConnection) async throws -> T
    ) async throws -> T? {
        do {
            return try await marker.withReadyConnection { try await send($0) }
        } catch  where progress.isMarked {
            logger.warning(
                "\(noun) accepted and marked delivered; the exchange failed after",
                metadata: ["error": "\(type(of: error))"])
            return nil
        } catch  where progress.isAccepted {
            logger.error(
                "\(noun) accepted but not marked delivered; a retry sends it again with the same id",
                metadata: ["error": "\(error)"])
            throw error
        } catch let error as DeliveryMarker.NotReady {
            logger.warning("\(noun) not sent: the database is not reachable; will retry")
            throw error
        } catch {
            try await failure(error).record(on: delivery, context: context, logger: logger)
        }
    }
}
