import Foundation
import Postgres

/// The payload of a `notification.send` job on the `notify` queue: one business event to tell
/// some people about. The notifier fans it out into one delivery per recipient and channel.
public struct NotificationJob: Codable, Sendable, Equatable {
    /// Whom to tell: an address, a webhook, or a role the notifier resolves through the policy.
    public struct Recipient: Codable, Sendable, Equatable {
        public var role: String?
        public var email: String?
        public var webhookURL: String?

        public init(role: String? = nil, email: String? = nil, webhookURL: String? = nil) {
            self.role = role
            self.email = email
            self.webhookURL = webhookURL
        }

        enum CodingKeys: String, CodingKey {
            case role, email
            case webhookURL = "webhook_url"
        }
    }

    /// For messages to an approver: the step their approve/deny links act on.
    public struct Action: Codable, Sendable, Equatable {
        public var stepIdx: Int
        public var approverEmail: String

        public init(stepIdx: Int, approverEmail: String) {
            self.stepIdx = stepIdx
            self.approverEmail = approverEmail
        }

        enum CodingKeys: String, CodingKey {
            case stepIdx = "step_idx"
            case approverEmail = "approver_email"
        }
    }

    public var tenantID: String
    public var requestID: UUID?
    /// Unique per business event; with the recipient it is the no-duplicate key.
    public var eventKey: String
    /// step_opened, reminder, escalation, decision, alert, review_due, expiry_notice, withdrawn, terminated, activated.
    public var kind: String
    public var recipients: [Recipient]
    public var data: [String: String]
    public var action: Action?

    public init(tenantID: String, requestID: UUID?, eventKey: String, kind: String, recipients: [Recipient], data: [String: String], action: Action? = nil) {
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

    /// The queue and kind the notifier consumes.
    public static let queue = "notify"
    public static let jobKind = "notification.send"
}
