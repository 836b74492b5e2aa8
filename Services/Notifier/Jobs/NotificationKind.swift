/// What happened, which decides the template of the message.
enum NotificationKind: String, Codable, Sendable, CaseIterable {
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
    /// Not in the first contract; the approval-router sends it when an arrangement reaches its end date.
    case expired
}
