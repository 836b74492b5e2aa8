/// What happened, which decides the template of the message (docs/notifications.md).
public enum NotificationKind: String, Codable, Sendable, CaseIterable {
    case stepOpened = "step_opened"
    case reminder
    case escalation
    case decision
    case alert
    case reviewDue = "review_due"
    case expiryNotice = "expiry_notice"
    case withdrawn
    case terminated
    case activated
    /// An arrangement reached its end date.
    case expired
}

/// Someone to tell: an address, a webhook, or a role of the tenant's directory for the notifier
/// to resolve (at least one of the three).
public struct Addressee: Codable, Sendable, Equatable, Hashable {
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

/// The step an approver's approve/deny links act on.
public struct StepAction: Codable, Sendable, Equatable {
    public var stepIndex: Int
    public var approverEmail: String

    public init(stepIndex: Int, approverEmail: String) {
        self.stepIndex = stepIndex
        self.approverEmail = approverEmail
    }

    enum CodingKeys: String, CodingKey {
        case stepIndex = "step_idx"
        case approverEmail = "approver_email"
    }
}
