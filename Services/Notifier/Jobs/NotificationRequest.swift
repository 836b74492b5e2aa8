import Foundation

/// The payload of a `notification.send` job: one business event to announce to its recipients.
/// Other services enqueue it on the `notify` queue (see docs/notifications.md).
struct NotificationRequest: Codable, Sendable, Equatable {
    /// Someone to tell: an address, a webhook, or a role of the tenant's directory to resolve.
    struct Recipient: Codable, Sendable, Equatable {
        var role: String?
        var email: String?
        var webhookURL: String?

        init(role: String? = nil, email: String? = nil, webhookURL: String? = nil) {
            self.role = role
            self.email = email
            self.webhookURL = webhookURL
        }

        enum CodingKeys: String, CodingKey {
            case role, email
            case webhookURL = "webhook_url"
        }
    }

    /// The approve/deny links an approver's email carries.
    struct Action: Codable, Sendable, Equatable {
        var stepIndex: Int
        var approverEmail: String

        enum CodingKeys: String, CodingKey {
            case stepIndex = "step_idx"
            case approverEmail = "approver_email"
        }
    }

    var tenantID: String
    var requestID: UUID?
    /// Unique per business event (`step_opened:<request>:<idx>`): the same key is never sent twice
    /// to the same recipient on the same channel.
    var eventKey: String
    var kind: NotificationKind
    var recipients: [Recipient]
    /// The template variables.
    var data: [String: String]
    var action: Action?

    init(tenantID: String, requestID: UUID? = nil, eventKey: String, kind: NotificationKind,
         recipients: [Recipient], data: [String: String] = [:], action: Action? = nil) {
        self.tenantID = tenantID
        self.requestID = requestID
        self.eventKey = eventKey
        self.kind = kind
        self.recipients = recipients
        self.data = data
        self.action = action
    }

    enum CodingKeys: String, CodingKey {
        case tenantID = "tenant_id"
        case requestID = "request_id"
        case eventKey = "event_key"
        case kind, recipients, data, action
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tenantID = try container.decode(String.self, forKey: .tenantID)
        requestID = try container.decodeIfPresent(UUID.self, forKey: .requestID)
        eventKey = try container.decode(String.self, forKey: .eventKey)
        kind = try container.decode(NotificationKind.self, forKey: .kind)
        recipients = try container.decodeIfPresent([Recipient].self, forKey: .recipients) ?? []
        data = try container.decodeIfPresent([String: String].self, forKey: .data) ?? [:]
        action = try container.decodeIfPresent(Action.self, forKey: .action)
    }
}

/// The payload of a `delivery.email` or `delivery.webhook` job.
struct DeliveryJobPayload: Codable, Sendable, Equatable {
    var deliveryID: UUID

    init(deliveryID: UUID) { self.deliveryID = deliveryID }

    enum CodingKeys: String, CodingKey { case deliveryID = "delivery_id" }

    /// Writes the id in lowercase, as PostgreSQL prints it.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(deliveryID.uuidString.lowercased(), forKey: .deliveryID)
    }
}
