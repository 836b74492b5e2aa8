import Foundation
import Policy
import Queue
import Workflow

/// The jobs of the `routing` queue, consumed by the approval-router. Each names its request; the
/// router loads it, locked, under its policy version, and answers with `ApprovalFlow`.
public protocol RoutingJobPayload: JobPayload {
    var requestID: UUID { get }
    /// One job per logical event: enqueuing it again is a no-op.
    var uniqueKey: String { get }
    /// The event of the approval flow this job carries.
    var event: FlowEvent { get }
}

extension RoutingJobPayload {
    public static var queue: String { "routing" }
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

/// A routing job that names only its request; `Event` gives its kind, flow event and unique key.
public struct RequestJob<Event: RequestJobEvent>: RoutingJobPayload, Equatable {
    public static var kind: String { Event.kind }
    @LowercaseUUID public var requestID: UUID

    public init(requestID: UUID) { self.requestID = requestID }

    public var event: FlowEvent { Event.event }
    /// One job per logical event: enqueuing it again is a no-op.
    public var uniqueKey: String { Event.uniqueKey(requestID) }
    enum CodingKeys: String, CodingKey { case requestID = "request_id" }
}

/// What a `RequestJob` of one kind carries.
public protocol RequestJobEvent: Sendable {
    static var kind: String { get }
    static var event: FlowEvent { get }
    static func uniqueKey(_ requestID: UUID) -> String
}

/// `request.submitted`: the intake stored an eligible request (enqueued with it).
public typealias RequestSubmittedJob = RequestJob<SubmittedEvent>
public enum SubmittedEvent: RequestJobEvent {
    public static let kind = "request.submitted"
    public static var event: FlowEvent { .submitted }
    public static func uniqueKey(_ id: UUID) -> String { "submitted:\(id.uuidString.lowercased())" }
}

/// `request.activate`: an approved arrangement's start date came.
public typealias ActivationJob = RequestJob<ActivationEvent>
public enum ActivationEvent: RequestJobEvent {
    public static let kind = "request.activate"
    public static var event: FlowEvent { .activate }
    public static func uniqueKey(_ id: UUID) -> String { "activate:\(id)" }
}

/// `request.expiry_notice`: the notice date before a time-limited arrangement ends.
public typealias ExpiryNoticeJob = RequestJob<ExpiryNoticeEvent>
public enum ExpiryNoticeEvent: RequestJobEvent {
    public static let kind = "request.expiry_notice"
    public static var event: FlowEvent { .expiryNotice }
    public static func uniqueKey(_ id: UUID) -> String { "expiry_notice:\(id)" }
}

/// `request.expire`: a time-limited arrangement's last day passed.
public typealias ExpiryJob = RequestJob<ExpiryEvent>
public enum ExpiryEvent: RequestJobEvent {
    public static let kind = "request.expire"
    public static var event: FlowEvent { .expire }
    public static func uniqueKey(_ id: UUID) -> String { "expire:\(id)" }
}

/// A routing job about one open step; `Event` gives its kind, flow event and unique key. Both
/// are cancelled when the step is decided.
public struct StepJob<Event: StepJobEvent>: RoutingJobPayload, Equatable {
    public static var kind: String { Event.kind }
    @LowercaseUUID public var requestID: UUID
    public var stepIndex: Int

    public init(requestID: UUID, stepIndex: Int) {
        self.requestID = requestID
        self.stepIndex = stepIndex
    }

    public var event: FlowEvent { Event.event(stepIndex) }
    /// One job per step and event: enqueuing it again is a no-op.
    public var uniqueKey: String { "\(Event.keyPrefix):\(requestID):\(stepIndex)" }
    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case stepIndex = "step_idx"
    }
}

/// What a `StepJob` of one kind carries.
public protocol StepJobEvent: Sendable {
    static var kind: String { get }
    static var keyPrefix: String { get }
    static func event(_ stepIndex: Int) -> FlowEvent
}

/// `step.reminder`: the business day before an open step is due.
public typealias StepReminderJob = StepJob<ReminderEvent>
public enum ReminderEvent: StepJobEvent {
    public static let kind = "step.reminder"
    public static let keyPrefix = "reminder"
    public static func event(_ stepIndex: Int) -> FlowEvent { .reminder(stepIndex: stepIndex) }
}

/// `step.escalate`: an open step's due date passed.
public typealias StepEscalationJob = StepJob<EscalationEvent>
public enum EscalationEvent: StepJobEvent {
    public static let kind = "step.escalate"
    public static let keyPrefix = "escalate"
    public static func event(_ stepIndex: Int) -> FlowEvent { .escalate(stepIndex: stepIndex) }
}
