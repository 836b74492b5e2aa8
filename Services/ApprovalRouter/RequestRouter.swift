import Foundation
import Logging
import Policy
import Postgres
import Queue
import Storage

/// Moves a request along its approval chain. `advance` reconciles the request with its steps:
/// it opens the next step, or closes the request as denied or approved, so running it twice
/// changes nothing the second time.
struct RequestRouter {
    let connection: PostgresConnection
    let request: RequestRecord
    let engine: PolicyEngine
    let clock: TenantClock
    static let actor = "approval-router"

    /// Locks the request and loads the policy version it was routed under; nil when closed or gone.
    static func load(_ id: UUID, on connection: PostgresConnection, now: Date) throws -> RequestRouter? {
        guard let request = try RequestStore.lock(id, on: connection) else { return nil }
        guard let engine = try PolicyEngineCache.shared.engine(tenantID: request.tenantID, version: request.policyVersion, on: connection) else {
            throw JobError.discard("request \(id) names policy version \(request.policyVersion) of \(request.tenantID), which does not exist")
        }
        return RequestRouter(connection: connection, request: request, engine: engine, clock: TenantClock(policy: engine.policy, now: now))
    }

    func advance() throws {
        guard !request.isClosed, request.status != "active", request.status != "approved" else { return }
        let steps = try RequestStore.steps(of: request.id, on: connection)
        if let denied = steps.first(where: { $0.status == "denied" }) {
            try deny(by: denied, steps: steps)
        } else if steps.contains(where: { $0.status == "open" }) {
            if request.status != "pending_approval" { RequestStore.setStatus(request.id, to: "pending_approval", on: connection) }
        } else if let next = steps.first(where: { $0.status == "pending" }) {
            try open(next, steps: steps)
        } else {
            try approve(steps: steps)
        }
    }

    private func open(_ step: StepRecord, steps: [StepRecord]) throws {
        let sla = step.slaBusinessDays ?? engine.policy.defaultSlaBusinessDays ?? 5
        let due = engine.calendar.adding(businessDays: sla, to: clock.today)
        RequestStore.openStep(request.id, index: step.index, dueDate: due, on: connection)
        if request.status != "pending_approval" { RequestStore.setStatus(request.id, to: "pending_approval", on: connection) }
        try audit("step_opened", after: ["step": "\(step.index)", "role": step.role, "approver": step.approverEmail, "due_date": "\(due)"])
        try notify("step_opened", eventKey: "step_opened:\(request.id):\(step.index)", to: [.init(role: step.role, email: step.approverEmail)],
                   data: ["step_role": step.role, "due_date": "\(due)"], action: .init(stepIdx: step.index, approverEmail: step.approverEmail))
        try scheduleReminders(for: step, due: due)
    }

    /// A reminder the business day before the due date (09:00 local) and an escalation when the
    /// due date has passed (00:00 local the next day); unique per step, cancelled by a decision.
    private func scheduleReminders(for step: StepRecord, due: CivilDate) throws {
        let payload = RoutingJob(requestID: request.id, stepIdx: step.index)
        let remindOn = engine.calendar.adding(businessDays: -1, to: due)
        if remindOn > clock.today {
            JobQueue.pipeline(try RoutingJob.job(RoutingJob.Kind.reminder, tenant: request.tenantID, payload,
                runAt: clock.instant(remindOn, hour: 9), uniqueKey: "reminder:\(request.id):\(step.index)"), on: connection)
        }
        JobQueue.pipeline(try RoutingJob.job(RoutingJob.Kind.escalate, tenant: request.tenantID, payload,
            runAt: clock.instant(due.adding(days: 1)), uniqueKey: "escalate:\(request.id):\(step.index)"), on: connection)
    }

    private func deny(by step: StepRecord, steps: [StepRecord]) throws {
        RequestStore.cancelUndecidedSteps(request.id, on: connection)
        RequestStore.setStatus(request.id, to: "denied", reason: step.reason, on: connection)
        try audit("denied", after: ["step": "\(step.index)", "reason": step.reason ?? ""])
        let approvers = steps.filter { $0.status == "approved" }.map { NotificationJob.Recipient(role: $0.role, email: $0.actingApproverEmail ?? $0.approverEmail) }
        try notify("decision", eventKey: "denied:\(request.id)", to: [employee] + approvers,
                   data: ["decision": "denied", "reason": step.reason ?? "", "step_role": step.role])
    }

    private func approve(steps: [StepRecord]) throws {
        RequestStore.setStatus(request.id, to: "approved", on: connection)
        try audit("approved", after: ["steps": "\(steps.count)"])
        try notify("decision", eventKey: "approved:\(request.id)", to: [employee, supervisor], data: ["decision": "approved"])
        if request.input.startDate <= clock.today {
            try activate()
        } else {
            JobQueue.pipeline(try RoutingJob.job(RoutingJob.Kind.activate, tenant: request.tenantID, RoutingJob(requestID: request.id),
                runAt: clock.instant(request.input.startDate), uniqueKey: "activate:\(request.id)"), on: connection)
        }
    }

    /// Makes an approved arrangement active and schedules its first review and its expiry.
    func activate() throws {
        RequestStore.setStatus(request.id, to: "active", on: connection)
        try audit("activated", after: ["start_date": "\(request.input.startDate)"])
        try notify("activated", eventKey: "activated:\(request.id)", to: [employee, supervisor], data: [:])
        try scheduleNextReview(after: nil)
        if let expiry = request.evaluation.expiry ?? engine.expiry(for: request.input) {
            let payload = RoutingJob(requestID: request.id)
            if expiry.noticeOn >= clock.today {
                JobQueue.pipeline(try RoutingJob.job(RoutingJob.Kind.expiryNotice, tenant: request.tenantID, payload,
                    runAt: clock.instant(expiry.noticeOn, hour: 9), uniqueKey: "expiry_notice:\(request.id)"), on: connection)
            }
            JobQueue.pipeline(try RoutingJob.job(RoutingJob.Kind.expire, tenant: request.tenantID, payload,
                runAt: clock.instant(expiry.lastDay.adding(days: 1)), uniqueKey: "expire:\(request.id)"), on: connection)
        }
    }

    /// Enqueues the first review date after `date` (or after activation), if the cycle has one.
    func scheduleNextReview(after date: CivilDate?) throws {
        let dates = engine.reviewDates(arrangementType: request.input.arrangementType, activatedOn: request.input.startDate,
                                       through: request.input.startDate.adding(years: 20), endsOn: request.input.endDate)
        guard let next = dates.first(where: { $0 > (date ?? request.input.startDate) && $0 >= clock.today }) else { return }
        JobQueue.pipeline(try RoutingJob.job(RoutingJob.Kind.reviewDue, tenant: request.tenantID,
            RoutingJob(requestID: request.id, date: "\(next)"), runAt: clock.instant(next, hour: 9),
            uniqueKey: "review:\(request.id):\(next)"), on: connection)
    }

    var employee: NotificationJob.Recipient { .init(role: "employee", email: request.input.employee.email) }
    var supervisor: NotificationJob.Recipient { .init(role: "supervisor", email: request.input.supervisorEmail) }

    func audit(_ action: String, after: [String: String]) throws {
        AuditLog.append(AuditEvent(tenantID: request.tenantID, requestID: request.id, actor: Self.actor, action: action,
                                   after: try JSONText(encoding: after)), on: connection)
    }

    func notify(_ kind: String, eventKey: String, to recipients: [NotificationJob.Recipient], data: [String: String],
                action: NotificationJob.Action? = nil) throws {
        let input = request.input
        var fields: [String: String] = [
            "request_id": request.id.uuidString.lowercased(), "employee_name": input.employee.name, "employee_email": input.employee.email,
            "arrangement_type": input.arrangementType, "start_date": "\(input.startDate)", "end_date": input.endDate.map { "\($0)" } ?? "",
        ]
        fields.merge(data) { _, new in new }
        let job = NotificationJob(tenantID: request.tenantID, requestID: request.id, eventKey: eventKey, kind: kind,
                                  recipients: recipients, data: fields, action: action)
        JobQueue.pipeline(try NewJob(queue: NotificationJob.queue, kind: NotificationJob.jobKind, payload: job,
                                     tenantID: request.tenantID, priority: 50, uniqueKey: "notify:\(eventKey)"), on: connection)
    }
}
