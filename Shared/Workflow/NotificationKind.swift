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
