import Foundation
import Queue

/// `request.check` on the `compliance` queue: raise the alerts a new request's findings call for
/// (enqueued by the approval-router when it takes the request).
public struct ComplianceCheckJob: JobPayload, Equatable {
    public static let queue = "compliance"
    public static let kind = "request.check"
    @LowercaseUUID public var requestID: UUID

    public init(requestID: UUID) { self.requestID = requestID }
    /// One job per logical event: enqueuing it again is a no-op.
    public var uniqueKey: String { "check:\(requestID)" }
    enum CodingKeys: String, CodingKey { case requestID = "request_id" }
}

/// `compliance.sweep` on the `compliance` queue (daily, periodic): fans out one
/// `RequestSweepJob` per approved or active request.
public struct ComplianceSweepJob: JobPayload, Equatable {
    public static let queue = "compliance"
    public static let kind = "compliance.sweep"

    public init() {}
}

/// `request.sweep` on the `compliance` queue: the daily check of one request, for its tenant.
public struct RequestSweepJob: JobPayload, Equatable {
    public static let queue = "compliance"
    public static let kind = "request.sweep"
    @LowercaseUUID public var requestID: UUID

    public init(requestID: UUID) { self.requestID = requestID }
    enum CodingKeys: String, CodingKey { case requestID = "request_id" }
}
