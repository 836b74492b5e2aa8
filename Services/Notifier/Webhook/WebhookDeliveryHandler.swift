import AsyncHTTPClient
import Egress
import Foundation
import Jobs
import Logging
import NIOCore
import NIOHTTP1
import Postgres
import Queue

/// `delivery.webhook`: POSTs one delivery's event as signed JSON. First the URL is checked
/// against the operator's rules (`WebhookDestination`: https, and public addresses after
/// resolving the host), and the POST goes to the address checked; a refused destination fails
/// the delivery for good without sending, a host that does not resolve is retried. 2xx delivers
/// it; 5xx, 408, 429, timeouts and connection errors are retried; any other answer (other 4xx, a
/// redirect) fails it for good. The timestamp (and so the signature) is fresh on every attempt; `X-Flexwork-Delivery`
/// stays the same, for receivers to drop repeats.
struct WebhookDeliveryHandler: Sendable {
    let configuration: NotifierConfiguration
    let marker: DeliveryMarker

    func handle(_ job: WebhookDeliveryJob, context: JobContext) async throws {
        let (delivery, logger) = try await DeliveryJob.load(job, context: context, channel: .webhook)
        guard delivery.status != .delivered else {
            return try await DeliveryJob.finishDelivered(delivery, context: context, logger: logger)
        }
        let destination = try await checkedDestination(of: delivery, context: context, logger: logger)
        let tenantID = delivery.tenantID
        let secret = try await context.pool.withConnection { try WebhookSecretStore.secret(tenantID: tenantID, on: $0) }
        let body = try WebhookBody(delivery: delivery).encoded()
        let id = delivery.id
        let attempt = DeliveryAttempt(noun: "webhook", delivery: delivery, context: context, logger: logger)
        let progress = attempt.progress
        let status =
            try await attempt.run(
                marker: marker,
                failure: { error in
                    let reason = String(String(describing: error).prefix(300))
                    return DeliveryFailure(
                        permanent: false, message: "webhook request failed: \(reason)",
                        logSummary: "webhook request failed: \(type(of: error))")
                }
            ) { ready in
                try await post(body, to: delivery, at: destination, secret: secret) { status in
                    guard (200..<300).contains(status) else { return }
                    progress.accepted()
                    progress.marked(after: try await ready.markDelivered(id, channel: .webhook, messageID: nil))
                }
            } ?? 0
        guard progress.isMarked else {
            let retry = status >= 500 || status == 408 || status == 429
            try await DeliveryFailure(
                permanent: !retry, message: "webhook answered HTTP \(status)",
                logSummary: "webhook answered HTTP \(status)"
            )
            .record(on: delivery, context: context, logger: logger)
        }
        try await DeliveryJob.complete(delivery, context: context)
        NotifierMetrics.sent(channel: .webhook, kind: delivery.kind)
        logger.info(
            "webhook delivered",
            metadata: [
                "attempt": "\(context.job.attempt)", "status": "\(status)",
                "unmarked_ms": "\(progress.unmarkedMilliseconds ?? "?")",
            ])
    }

    /// The delivery's URL checked against the operator's rules; a refusal is recorded as a failed
    /// attempt (permanent, or retried when the host did not resolve) and nothing is sent.
    private func checkedDestination(of delivery: DeliveryRecord, context: JobContext, logger: Logger) async throws
        -> WebhookDestination
    {
        switch await WebhookDestination.checked(delivery.recipient, rules: configuration.webhookRules) {
        case .success(let destination):
            return destination
        case .failure(let refusal):
            let summary = refusal.isPermanent ? "webhook destination refused" : "webhook host did not resolve"
            try await DeliveryFailure(
                permanent: refusal.isPermanent, message: "webhook not sent: \(refusal.reason)", logSummary: summary
            )
            .record(on: delivery, context: context, logger: logger)
        }
    }

    /// Sends the request to the checked address on a client of its own, and returns the response
    /// status; `whenAnswered` gets the status as soon as the response head arrives, before the
    /// body is read (and dropped).
    private func post(
        _ body: Data, to delivery: DeliveryRecord, at destination: WebhookDestination, secret: String,
        whenAnswered: (UInt) async throws -> Void
    ) async throws -> UInt {
        let client = WebhookClient.make(for: destination)
        do {
            let status = try await post(body, to: delivery, secret: secret, with: client, whenAnswered: whenAnswered)
            try await client.shutdown()
            return status
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func post(
        _ body: Data, to delivery: DeliveryRecord, secret: String, with httpClient: HTTPClient,
        whenAnswered: (UInt) async throws -> Void
    ) async throws -> UInt {
        let timestamp = Int(Date().timeIntervalSince1970)
        var request = HTTPClientRequest(url: delivery.recipient)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "flexwork-notifier")
        request.headers.add(name: WebhookSignature.timestampHeader, value: String(timestamp))
        request.headers.add(
            name: WebhookSignature.signatureHeader,
            value: WebhookSignature.sign(secret: secret, timestamp: timestamp, body: body))
        request.headers.add(name: WebhookSignature.deliveryHeader, value: delivery.id.uuidString.lowercased())
        request.body = .bytes(ByteBuffer(bytes: body))
        let timeout = configuration.webhookTimeout
        let deadline = NIODeadline.now() + .nanoseconds(timeout.inNanoseconds)
        let response = try await httpClient.execute(request, deadline: deadline)
        try await whenAnswered(response.status.code)
        _ = try await response.body.collect(upTo: 64 * 1024)
        return response.status.code
    }
}
