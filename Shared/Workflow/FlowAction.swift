import Foundation
import Policy

/// What happened to a request that the approval flow must answer: one per routing job kind.
public enum FlowEvent: Sendable, Equatable {
    /// The intake stored the request (`request.submitted`).
    case submitted
    /// An approver decided step `index` (`step.decided`).
    case decided(stepIndex: Int?)
    /// The business day before a step is due (`step.reminder`).
    case reminder(stepIndex: Int)
    /// A step's due date passed undecided (`step.escalate`).
    case escalate(stepIndex: Int)
    /// An approved arrangement's start date came (`request.activate`).
    case activate
    /// A withdrawal or termination reached its effective date (`request.ending`).
    case ending(EndingKind)
    /// A review date of an active arrangement came (`request.review_due`).
    case reviewDue(CivilDate?)
    /// The notice date before a time-limited arrangement ends (`request.expiry_notice`).
    case expiryNotice
    /// A time-limited arrangement's last day passed (`request.expire`).
    case expire
}

/// How a request is ended before its time.
public enum EndingKind: String, Codable, Sendable, CaseIterable {
    /// By the employee.
    case withdraw
    /// By the supervisor or an approver of the chain.
    case terminate

    /// The request's status once the ending takes effect.
    public var finalStatus: RequestStatus { self == .withdraw ? .withdrawn : .terminated }
}

/// A job the flow asks to run later, at a local date and hour of the tenant.
public enum FlowTimer: Sendable, Equatable {
    /// Remind the approver of step `index` (cancelled when the step is decided).
    case reminder(stepIndex: Int)
    /// Escalate step `index` (cancelled when the step is decided).
    case escalate(stepIndex: Int)
    /// Make the approved arrangement active.
    case activate
    /// Announce the review due on this date.
    case reviewDue(CivilDate)
    /// Give notice that the arrangement reaches its limit.
    case expiryNotice
    /// End the arrangement at its limit.
    case expire
}

/// One message to send about a request (a `notification.send` job).
public struct FlowNotice: Sendable, Equatable {
    public var kind: NotificationKind
    /// Unique per business event; the no-duplicate key of the deliveries.
    public var eventKey: String
    public var recipients: [Recipient]
    /// Template variables beyond the request's own (`RequestRecord.notificationData`).
    public var data: [String: String]
    /// The step an approver's links act on.
    public var action: StepAction?

    public init(
        kind: NotificationKind, eventKey: String, recipients: [Recipient], data: [String: String] = [:],
        action: StepAction? = nil
    ) {
        self.kind = kind
        self.eventKey = eventKey
        self.recipients = recipients
        self.data = data
        self.action = action
    }
}

/// One thing to do, decided by `ApprovalFlow` and carried out, in order, by the approval-router in
/// the transaction that completes the job.
public enum FlowAction: Sendable, Equatable {
    /// Set the request's status (and its decision reason, when given).
    case setStatus(RequestStatus, reason: String? = nil)
    /// Open a pending step, due on `due`.
    case openStep(index: Int, due: CivilDate)
    /// Mark a pending step skipped.
    case skipStep(index: Int)
    /// Cancel every pending or open step.
    case cancelUndecidedSteps
    /// Cancel the reminder and escalation timers of a decided step.
    case cancelStepTimers(index: Int)
    /// Ask the compliance-checker to check the request (`request.check`).
    case checkCompliance
    /// Run `timer` at `hour`:00 local time on `date`.
    case schedule(FlowTimer, on: CivilDate, hour: Int)
    /// Append an audit event for the request.
    case audit(action: String, after: [String: String])
    /// Tell people.
    case notify(FlowNotice)
    /// Count an SLA escalation (metrics).
    case countEscalation
    /// Not yet: run the same job again at 00:00 local time on `date`.
    case waitUntil(CivilDate)
}
