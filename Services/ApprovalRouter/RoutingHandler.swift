import Foundation
import Metrics
import Policy
import Postgres
import Queue
import Storage

/// Handles one kind of routing job: loads the request under its policy version, locked, and
/// acts on it in the transaction that completes the job.
struct RoutingHandler: JobHandler {
    let kind: String

    /// A handler for every routing job kind.
    static func all() -> [String: any JobHandler] {
        let kinds = [RoutingJob.Kind.submitted, RoutingJob.Kind.decided, RoutingJob.Kind.reminder, RoutingJob.Kind.escalate,
                     RoutingJob.Kind.activate, RoutingJob.Kind.ending, RoutingJob.Kind.reviewDue, RoutingJob.Kind.expiryNotice,
                     RoutingJob.Kind.expire]
        return Dictionary(uniqueKeysWithValues: kinds.map { ($0, RoutingHandler(kind: $0) as any JobHandler) })
    }

    func handle(_ context: JobContext) async throws {
        let payload = try context.job.decodePayload(RoutingJob.self)
        let kind = self.kind
        let now = Date()
        let outcome = try await context.completing { connection -> String? in
            guard let router = try RequestRouter.load(payload.requestID, on: connection, now: now) else { return nil }
            return try RoutingHandler.perform(kind, payload, router)
        }
        if let outcome { context.logger.info("routed", metadata: ["request_id": "\(payload.requestID)", "outcome": "\(outcome)"]) }
    }

    /// What each kind does; returns a word for the log.
    static func perform(_ kind: String, _ payload: RoutingJob, _ router: RequestRouter) throws -> String? {
        switch kind {
        case RoutingJob.Kind.submitted:
            JobQueue.pipeline(NewJob(queue: "compliance", kind: "request.check", payload: JSONText("{\"request_id\": \"\(payload.requestID.uuidString.lowercased())\"}"),
                                    tenantID: router.request.tenantID, uniqueKey: "check:\(payload.requestID)"), on: router.connection)
            try router.advance()
            return "advanced"
        case RoutingJob.Kind.decided:
            if let index = payload.stepIdx {
                try JobQueue.cancel(queue: RoutingJob.queue, uniqueKeys: ["reminder:\(payload.requestID):\(index)", "escalate:\(payload.requestID):\(index)"], on: router.connection)
            }
            try router.advance()
            return "advanced"
        case RoutingJob.Kind.reminder, RoutingJob.Kind.escalate:
            return try remind(escalate: kind == RoutingJob.Kind.escalate, payload, router)
        case RoutingJob.Kind.activate:
            guard router.request.status == "approved" else { return nil }
            try router.activate()
            return "activated"
        case RoutingJob.Kind.ending:
            return try end(payload, router)
        default:
            return try afterActivation(kind, payload, router)
        }
    }

    private static func remind(escalate: Bool, _ payload: RoutingJob, _ router: RequestRouter) throws -> String? {
        guard let index = payload.stepIdx,
              let step = try RequestStore.steps(of: router.request.id, on: router.connection).first(where: { $0.index == index }),
              step.status == "open"
        else { return nil }
        let data = ["step_role": step.role, "due_date": step.dueDate.map { "\($0)" } ?? ""]
        if escalate {
            let target = NotificationJob.Recipient(role: step.escalationRole ?? step.role, email: step.escalationEmail)
            try router.audit("escalated", after: ["step": "\(index)", "to": step.escalationEmail ?? step.escalationRole ?? ""])
            try router.notify("escalation", eventKey: "escalation:\(router.request.id):\(index)", to: [target, .init(role: step.role, email: step.approverEmail)], data: data)
            Counter(label: "fwa_sla_escalations_total", dimensions: [("tenant", router.request.tenantID)]).increment()
            return "escalated"
        }
        try router.notify("reminder", eventKey: "reminder:\(router.request.id):\(index)", to: [.init(role: step.role, email: step.approverEmail)],
                          data: data, action: .init(stepIdx: index, approverEmail: step.approverEmail))
        return "reminded"
    }

    /// Withdrawal or termination on its effective date (snoozed until then).
    private static func end(_ payload: RoutingJob, _ router: RequestRouter) throws -> String? {
        guard !router.request.isClosed else { return nil }
        let effective = router.request.effectiveEndDate ?? router.clock.today
        if effective > router.clock.today {
            throw JobError.snooze(.seconds(max(1, Int64(router.clock.instant(effective).timeIntervalSince(router.clock.now)))))
        }
        let status = payload.action == "terminate" ? "terminated" : "withdrawn"
        RequestStore.cancelUndecidedSteps(router.request.id, on: router.connection)
        RequestStore.setStatus(router.request.id, to: status, on: router.connection)
        try router.audit(status, after: ["effective_date": "\(effective)"])
        try router.notify(status, eventKey: "\(status):\(router.request.id)", to: [router.employee, router.supervisor], data: ["effective_date": "\(effective)"])
        return status
    }

    private static func afterActivation(_ kind: String, _ payload: RoutingJob, _ router: RequestRouter) throws -> String? {
        guard router.request.status == "active" else { return nil }
        switch kind {
        case RoutingJob.Kind.reviewDue:
            let date = payload.date.flatMap { try? CivilDate(parsing: $0) } ?? router.clock.today
            try router.audit("review_due", after: ["date": "\(date)"])
            try router.notify("review_due", eventKey: "review_due:\(router.request.id):\(date)", to: [router.employee, router.supervisor], data: ["review_date": "\(date)"])
            try router.scheduleNextReview(after: date)
            return "review due"
        case RoutingJob.Kind.expiryNotice:
            try router.notify("expiry_notice", eventKey: "expiry_notice:\(router.request.id)", to: [router.employee, router.supervisor], data: [:])
            return "expiry notice"
        default:
            RequestStore.setStatus(router.request.id, to: "expired", on: router.connection)
            try router.audit("expired", after: [:])
            try router.notify("expired", eventKey: "expired:\(router.request.id)", to: [router.employee, router.supervisor], data: [:])
            return "expired"
        }
    }
}
