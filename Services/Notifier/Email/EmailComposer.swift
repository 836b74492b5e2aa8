import Foundation
import Logging
import Postgres

/// Builds the email of a delivery: the tenant's template for its kind (or the built-in one),
/// rendered with the delivery's variables, wrapped in headers that carry the request id and a
/// Message-ID derived from the delivery's identity.
struct EmailComposer: Sendable {
    var configuration: NotifierConfiguration

    func compose(_ delivery: DeliveryRecord, pool: PostgresPool, logger: Logger, now: Date = Date()) async throws
        -> EmailMessage
    {
        let template = try await template(for: delivery, pool: pool, logger: logger)
        let links = MessageVariables.links(
            for: delivery, publicURL: configuration.publicURL, secret: configuration.actionLinkSecret, now: now)
        var rendered = try template.render(MessageVariables(delivery: delivery, links: links).dictionary)
        if let requestID = delivery.requestID?.uuidString.lowercased() {
            // Every message carries the request id, whatever a tenant's template says.
            if !rendered.text.contains(requestID) { rendered.text += "\n\nRequest: \(requestID)\n" }
            if !rendered.html.contains(requestID) { rendered.html += "\n<p>Request: \(requestID)</p>\n" }
        }
        return EmailMessage(
            from: configuration.from, to: delivery.recipient, subject: rendered.subject, date: now,
            messageID: MessageID.derive(eventKey: delivery.eventKey, channel: .email, recipient: delivery.recipient),
            requestID: delivery.requestID, text: rendered.text, html: rendered.html)
    }

    /// The tenant's override when it has a valid one, the built-in template otherwise.
    private func template(for delivery: DeliveryRecord, pool: PostgresPool, logger: Logger) async throws
        -> MessageTemplate
    {
        let tenantID = delivery.tenantID
        let kind = delivery.kind
        guard
            let custom = try await pool.withConnection({
                try TemplateStore.override(tenantID: tenantID, kind: kind, on: $0)
            })
        else {
            return DefaultTemplates.template(for: kind)
        }
        do {
            try custom.validateOverride()
            return custom
        } catch {
            logger.warning(
                "the tenant's template is unusable; using the built-in one", metadata: ["problem": "\(error)"])
            return DefaultTemplates.template(for: kind)
        }
    }
}
