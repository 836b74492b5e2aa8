import Foundation
import Jobs
import Queue

/// `delivery.email`: renders and sends one delivery's email over SMTP. The moment the server
/// accepts it (250 after DATA, before anything more is said on the connection) the delivery is
/// marked delivered on a connection reserved beforehand (`DeliveryMarker`); then its audit event
/// is appended in the transaction that completes the job. Safe to run twice: a delivered row is not sent again (a retry only
/// appends a missing audit event), and a message re-sent after a crash inside the short window
/// between acceptance and mark carries the same Message-ID.
struct EmailDeliveryHandler: Sendable {
    let configuration: NotifierConfiguration
    let client: SMTPClient
    let marker: DeliveryMarker

    func handle(_ job: EmailDeliveryJob, context: JobContext) async throws {
        let (delivery, logger) = try await DeliveryJob.load(job, context: context, channel: .email)
        guard delivery.status != .delivered else {
            return try await DeliveryJob.finishDelivered(delivery, context: context, logger: logger)
        }
        let message: EmailMessage
        do {
            message = try await EmailComposer(configuration: configuration).compose(
                delivery, pool: context.pool, logger: logger)
        } catch let problem as MessageTemplate.Problem {
            try await DeliveryFailure(permanent: true, message: "\(problem)", logSummary: "\(problem)")
                .record(on: delivery, context: context, logger: logger)
        }
        let envelope = SMTPEnvelope(
            from: configuration.from, recipients: [delivery.recipient], message: message.rendered)
        let id = delivery.id
        let messageID = "<\(message.messageID)>"
        let attempt = DeliveryAttempt(noun: "email", delivery: delivery, context: context, logger: logger)
        let progress = attempt.progress
        _ = try await attempt.run(
            marker: marker,
            failure: { error in
                let failure = SMTPClient.smtpError(error)
                return DeliveryFailure(
                    permanent: failure.isPermanent, message: failure.description, logSummary: failure.logSummary)
            }
        ) { ready in
            try await client.send(envelope) {
                progress.accepted()
                progress.marked(after: try await ready.markDelivered(id, channel: .email, messageID: messageID))
            }
        }
        try await DeliveryJob.complete(delivery, context: context)
        NotifierMetrics.sent(channel: .email, kind: delivery.kind)
        logger.info(
            "email delivered",
            metadata: [
                "attempt": "\(context.job.attempt)", "unmarked_ms": "\(progress.unmarkedMilliseconds ?? "?")",
            ])
    }
}
