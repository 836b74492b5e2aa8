import Foundation
import Queue

/// The payload of every job on the `routing` queue.
struct RoutingJob: Codable, Sendable {
    var requestID: UUID
    var stepIdx: Int?
    /// For `request.ending`: withdraw or terminate.
    var action: String?
    /// For `request.review_due`: the review date.
    var date: String?

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case stepIdx = "step_idx"
        case action, date
    }

    /// Job kinds on the `routing` queue.
    enum Kind {
        static let submitted = "request.submitted"
        static let decided = "step.decided"
        static let reminder = "step.reminder"
        static let escalate = "step.escalate"
        static let activate = "request.activate"
        static let ending = "request.ending"
        static let reviewDue = "request.review_due"
        static let expiryNotice = "request.expiry_notice"
        static let expire = "request.expire"
    }

    static let queue = "routing"

    /// A routing job for `request`, at `runAt`, once per `uniqueKey`.
    static func job(_ kind: String, tenant: String, _ payload: RoutingJob, runAt: Date? = nil, uniqueKey: String) throws -> NewJob {
        try NewJob(queue: queue, kind: kind, payload: payload, tenantID: tenant, runAt: runAt, uniqueKey: uniqueKey)
    }
}
