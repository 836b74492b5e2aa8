import Foundation
import Storage

/// The variables a template sees: the event's data (empty values left out, so that
/// `{{#reason}}…{{/reason}}` sections skip them), then the notifier's own, which data cannot
/// override: `request_id`, `tenant_id`, `kind`, and in an approver's email `approve_url`,
/// `deny_url` and `action_expires_at`.
struct MessageVariables: Sendable {
    /// The approve and deny links of an approver's email.
    struct ActionLinks: Sendable, Equatable {
        var approve: String
        var deny: String
        var expiresAt: Date
    }

    var delivery: DeliveryRecord
    var links: ActionLinks?

    /// The links of the delivery's action token when it is still usable, nil otherwise.
    static func links(for delivery: DeliveryRecord, publicURL: String, secret: String, now: Date = Date())
        -> ActionLinks?
    {
        guard let token = delivery.actionToken, token.usedAt == nil, token.expiresAt > now else { return nil }
        let base = publicURL + ActionLink.path(token: ActionLink.token(id: token.id, secret: secret))
        return ActionLinks(
            approve: base + "?decision=approve", deny: base + "?decision=deny", expiresAt: token.expiresAt)
    }

    /// The dictionary Mustache renders from.
    var dictionary: [String: Any] {
        var values: [String: Any] = [:]
        for (key, value) in delivery.data where !value.isEmpty { values[key] = value }
        for key in ["request_id", "tenant_id", "kind", "event_key", "approve_url", "deny_url", "action_expires_at"] {
            values[key] = nil
        }
        if let requestID = delivery.requestID { values["request_id"] = requestID.uuidString.lowercased() }
        values["tenant_id"] = delivery.tenantID
        values["kind"] = delivery.kind.rawValue
        if let links {
            values["approve_url"] = links.approve
            values["deny_url"] = links.deny
            values["action_expires_at"] = MIMEText.date(links.expiresAt)
        }
        return values
    }
}
