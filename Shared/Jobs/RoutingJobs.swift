import Foundation
import Policy
import Queue
import Workflow

/// The jobs of the `routing` queue, consumed by the approval-router. Each names its request; the
/// router loads it, locked, under its policy version, and answers with `ApprovalFlow`.
public protocol RoutingJobPayload: JobPayload {
    var requestID: UUID { get }
    /// The event of the approval flow this job carries.
    var event: FlowEvent { get }
}

extension RoutingJobPayload {
    public static var queue: String { "routing" }
}

/// `request.submitted`: the intake stored an eligible request (enqueued with it).
public struct RequestSubmittedJob: RoutingJobPayload, Equatable {
    public static let kind = "request.submitted"
    @LowercaseUUID public var requestID: UUID

    public init(requestID: UUID) { self.requestID = requestID }

    public var event: FlowEvent { .submitted }
    /// One job per logical event: enqueuing it again is a no-op.
    public var uniqueKey: String { "submitted:\(requestID.uuidString.lowercased())" }
    enum CodingKeys: String, CodingKey { case requestID = "request_id" }
}

/// `step.decided`: an approver decided a step (enqueued with the decision).
public struct StepDecidedJob: RoutingJobPayload, Equatable {
    public static let kind = "step.decided"
    @LowercaseUUID public var requestID: UUID
    public var stepIndex: Int?

    public init(requestID: UUID, stepIndex: Int?) {
        self.requestID = requestID
        self.stepIndex = stepIndex
    }

    public var event: FlowEvent { .decided(stepIndex: stepIndex) }
    /// One job per logical event: enqueuing it again is a no-op.
    public var uniqueKey: String { "decided:\(requestID.uuidString.lowercased()):\(stepIndex.map(String.init) ?? "")" }
    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case stepIndex = "step_idx"
    }
}

/// `step.reminder`: the business day before an open step is due.
public struct StepReminderJob: RoutingJobPayload, Equatable {
    public static let kind = "step.reminder"
    @LowercaseUUID public var requestID: UUID
    public var stepIndex: Int

    public init(requestID: UUID, stepIndex: Int) {
        self.requestID = requestID
        self.stepIndex = stepIndex
    }

    public var event: FlowEvent { .reminder(stepIndex: stepIndex) }
    /// One job per logical event: enqueuing it again is a no-op.
    public var uniqueKey: String { "reminder:\(requestID):\(stepIndex)" }
    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case stepIndex = "step_idx"
    }
}

/// `step.escalate`: an open step's due date passed.
public struct StepEscalationJob: RoutingJobPayload, Equatable {
    public static let kind = "step.escalate"
    @LowercaseUUID public var requestID: UUID
    public var stepIndex: Int

    public init(requestID: UUID, stepIndex: Int) {
        self.requestID = requestID
        self.stepIndex = stepIndex
    }

    public var event: FlowEvent { .escalate(stepIndex: stepIndex) }
    /// One job per logical event: enqueuing it again is a no-op.
    public var uniqueKey: String { "escalate:\(requestID):\(stepIndex)" }
    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case stepIndex = "step_idx"
    }
}

/// `request.activate`: an approved arrangement's start date came.
public struct ActivationJob: RoutingJobPayload, Equatable {
    public static let kind = "request.activate"
    @LowercaseUUID public var requestID: UUID

    public init(requestID: UUID) { self.requestID = requestID }

    public var event: FlowEvent { .activate }
    /// One job per logical event: enqueuing it again is a no-op.
    public var uniqueKey: String { "activate:\(requestID)" }
    enum CodingKeys: String, CodingKey { case requestID = "request_id" }
}

/// `request.ending`: a withdrawal or termination, run on its effective date.
public struct EndingJob: RoutingJobPayload, Equatable {
    public static let kind = "request.ending"
    @LowercaseUUID public var requestID: UUID
    public var action: EndingKind

    public init(requestID: UUID, action: EndingKind) {
        self.requestID = requestID
        self.action = action
    }

    public var event: FlowEvent { .ending(action) }
    /// One job per logical event: enqueuing it again is a no-op.
    public var uniqueKey: String { "ending:\(requestID.uuidString.lowercased())" }
    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case action
    }
}

/// `request.review_due`: a review date of an active arrangement.
public struct ReviewDueJob: RoutingJobPayload, Equatable {
    public static let kind = "request.review_due"
    @LowercaseUUID public var requestID: UUID
    public var date: CivilDate?

    public init(requestID: UUID, date: CivilDate?) {
        self.requestID = requestID
        self.date = date
    }

    public var event: FlowEvent { .reviewDue(date) }
    /// One job per logical event: enqueuing it again is a no-op.
    public var uniqueKey: String { "review:\(requestID):\(date.map { "\($0)" } ?? "")" }
    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case date
    }
}

/// `request.expiry_notice`: the notice date before a time-limited arrangement ends.
public struct ExpiryNoticeJob: RoutingJobPayload, Equatable {
    public static let kind = "request.expiry_notice"
    @LowercaseUUID public var requestID: UUID

    public init(requestID: UUID) { self.requestID = requestID }

    public var event: FlowEvent { .expiryNotice }
    /// One job per logical event: enqueuing it again is a no-op.
    public var uniqueKey: String { "expiry_notice:\(requestID)" }
    enum CodingKeys: String, CodingKey { case requestID = "request_id" }
}

/// `request.expire`: a time-limited arrangement's last day passed.
public struct ExpiryJob: RoutingJobPayload, Equatable {
    public static let kind = "request.expire"
    @LowercaseUUID public var requestID: UUID

    public init(requestID: UUID) { self.requestID = requestID }

    public var event: FlowEvent { .expire }
    /// One job per logical event: enqueuing it again is a no-op.
    public var uniqueKey: String { "expire:\(requestID)" }
    enum CodingKeys: String, CodingKey { case requestID = "request_id" }
}
