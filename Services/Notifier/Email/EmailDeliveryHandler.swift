import Foundation
import Queue

/// `delivery.email`: renders and sends one delivery's email over SMTP, then marks it delivered in
/// the transaction that completes the job. Safe to run twice: a delivered row is not sent again,
/// and a message re-sent after a crash (sent, not yet marked) carries the same Message-ID.
struct EmailDeliveryHandler: JobHandler {
    static let kind = "delivery.email"

    let configuration: NotifierConfiguration
    let client: SMTPClient

    func handle(_ context: JobContext) async throws {
        let (delivery, logger) = try await DeliveryJob.load(context, channel: .email)
        guard delivery.status != .delivered else {
            logger.info("already delivered; not sending again")
            return
        }
        let message: EmailMessage
        do {
            message = try await EmailComposer(configuration: configuration).compose(delivery, pool: context.pool, logger: logger)
        } catch let problem as MessageTemplate.Problem {
            try await DeliveryFailure(permanent: true, message: "\(problem)", logSummary: "\(problem)")
                .record(on: delivery, context: context, logger: logger)
        }
        do {
            try await client.send(SMTPEnvelope(from: configuration.from, recipients: [delivery.recipient], message: message.rendered))
        } catch {
            let failure = SMTPClient.smtpError(error)
            try await DeliveryFailure(permanent: failure.isPermanent, message: failure.description, logSummary: failure.logSummary)
                .record(on: delivery, context: context, logger: logger)
        }
        let id = delivery.id, messageID = message.messageID
        try await context.completing { connection in
            try DeliveryStore.markDelivered(id, messageID: "<\(messageID)>", on: connection)
        }
        NotifierMetrics.sent(channel: .email, kind: delivery.kind)
        logger.info("email delivered", metadata: ["attempt": "\(context.job.attempt)"])
    }
}
