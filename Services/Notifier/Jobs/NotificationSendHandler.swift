import Foundation
import Jobs
import Logging
import Postgres
import Queue
import Storage

/// `notification.send`: records the event, fans it out to one delivery per channel and
/// recipient, and enqueues one `delivery.email` or `delivery.webhook` job per new delivery — all
/// in the transaction that completes the job. `UNIQUE (event_key, channel, recipient)` makes a
/// second run (or a second job for the same event) add nothing.
struct NotificationSendHandler: Sendable {
    let configuration: NotifierConfiguration

    /// What one fan-out did.
    struct Outcome: Sendable {
        var created: [DeliveryChannel: Int] = [:]
        var existing = 0
        var unresolved: [UnresolvedRecipient] = []
    }

    func handle(_ request: NotificationJob, context: JobContext) async throws {
        try Self.validate(request, jobTenant: context.job.tenantID)
        var logger = context.logger
        logger[metadataKey: "tenant_id"] = "\(request.tenantID)"
        if let requestID = request.requestID {
            logger[metadataKey: "request_id"] = "\(requestID.uuidString.lowercased())"
        }
        let configuration = self.configuration
        let outcome: Outcome
        do {
            outcome = try await context.completing { connection in
                try Self.fanOut(request, configuration: configuration, on: connection)
            }
        } catch let error as PostgresError where error.isForeignKeyViolation {
            throw JobError.discard("unknown tenant or request (\(error.constraint ?? "foreign key"))")
        }
        for problem in outcome.unresolved {
            NotifierMetrics.failed(channel: .email)
            // Role names only: an unusable address or URL stays out of the logs (it is in the delivery log).
            let recipient =
                problem.label.hasPrefix("role:") ? problem.label : String(problem.label.prefix { $0 != ":" })
            logger.warning(
                "recipient not resolved; recorded as a failed delivery",
                metadata: ["recipient": "\(recipient)", "reason": "\(problem.reason)"])
        }
        logger.info(
            "notification fanned out",
            metadata: [
                "kind": "\(request.kind.rawValue)", "emails": "\(outcome.created[.email] ?? 0)",
                "webhooks": "\(outcome.created[.webhook] ?? 0)", "already_known": "\(outcome.existing)",
            ])
    }

    /// Refuses payloads that can never succeed.
    static func validate(_ request: NotificationJob, jobTenant: String) throws {
        guard !request.tenantID.isEmpty, jobTenant.isEmpty || jobTenant == request.tenantID else {
            throw JobError.discard("tenant_id is empty or differs from the job's tenant")
        }
        guard (1...500).contains(request.eventKey.utf8.count) else {
            throw JobError.discard("event_key must have 1 to 500 bytes")
        }
        if let action = request.action {
            guard request.requestID != nil else { throw JobError.discard("an action needs a request_id") }
            guard EmailAddress.normalized(action.approverEmail) != nil else {
                throw JobError.discard("action.approver_email is not a plain email address")
            }
        }
    }

    /// The fan-out, on the completing transaction's connection.
    static func fanOut(
        _ request: NotificationJob, configuration: NotifierConfiguration, on connection: PostgresConnection
    ) throws -> Outcome {
        let owner = try DeliveryStore.recordEvent(request, on: connection)
        guard owner == request.tenantID else { throw JobError.discard("event_key belongs to another tenant") }
        let needsPolicy =
            request.recipients.contains { $0.email == nil && $0.webhookURL == nil }
            || (request.recipients.isEmpty && request.kind == .alert)
        let active = needsPolicy ? try PolicyEngineCache.shared.active(tenantID: request.tenantID, on: connection) : nil
        let resolver = RecipientResolver(policy: active?.engine.policy, policyVersion: active?.version)
        let (targets, unresolved) = resolver.resolve(request)
        var outcome = Outcome()
        for target in targets {
            guard let id = try DeliveryStore.insertPending(target, request: request, on: connection) else {
                outcome.existing += 1
                continue
            }
            if target.channel == .email, let action = request.action, let requestID = request.requestID,
                EmailAddress.normalized(action.approverEmail) == target.recipient
            {
                DeliveryStore.attachActionToken(
                    delivery: id, request: request, requestID: requestID, action: action,
                    ttl: configuration.actionLinkTTL, on: connection)
            }
            // Ahead of the fan-outs waiting on the same queue (the router's have priority 50, the
            // others 100): under load, a notification already fanned out is delivered first,
            // instead of its emails waiting behind every fan-out queued after it.
            JobQueue.pipeline(
                try target.channel.job(
                    delivery: id, queue: configuration.queue, tenantID: request.tenantID, priority: 40,
                    maxAttempts: configuration.deliveryMaxAttempts), on: connection)
            outcome.created[target.channel, default: 0] += 1
        }
        for problem in unresolved where try DeliveryStore.insertUnresolved(problem, request: request, on: connection) {
            outcome.unresolved.append(problem)
        }
        return outcome
    }
}
