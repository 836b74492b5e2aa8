import Foundation
import Jobs
import Policy
import Postgres
import Queue
import Workflow

/// A withdrawal (by the employee) or termination (by the supervisor or an approver of the
/// chain), checked against the tenant's notice periods and recorded with its routing job.
public struct RequestEnding: Sendable {
    public var action: EndingKind
    public var requestID: UUID
    public var tenantID: String
    public var effectiveDate: CivilDate
    public var reason: String?
    public var actor: String

    public init(
        action: EndingKind, requestID: UUID, tenantID: String, effectiveDate: CivilDate, reason: String?, actor: String
    ) {
        self.action = action
        self.requestID = requestID
        self.tenantID = tenantID
        self.effectiveDate = effectiveDate
        self.reason = reason
        self.actor = actor
    }

    /// Ends the request in the caller's transaction: at once when it is still in approval or the
    /// date is today, else on the effective date (the routing job waits for it).
    public func apply(engines: PolicyEngineCache, now: Date = Date(), on connection: PostgresConnection) throws {
        guard let request = try RequestStore.find(requestID, lock: true, on: connection) else {
            throw WorkflowError.notFound("The request")
        }
        let steps = try RequestStore.steps(of: requestID, on: connection)
        try authorize(request, steps: steps)
        let allowed =
            action == .withdraw ? RequestStatus.inApproval.union(RequestStatus.granted) : RequestStatus.granted
        guard allowed.contains(request.status) else {
            let names = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            throw WorkflowError.invalidState(
                "A request that is \(request.status.rawValue) cannot be \(action.finalStatus.rawValue); allowed while it is \(names)."
            )
        }
        guard let engine = try engines.engine(tenantID: tenantID, version: request.policyVersion, on: connection) else {
            throw WorkflowError.notFound("The request's policy")
        }
        let today = TenantClock(policy: engine.policy, now: now).today
        guard effectiveDate >= today else {
            throw WorkflowError.invalidField(
                pointer: "/effective_date", message: "must not be before today (\(today)) in the tenant's time zone")
        }
        let immediate = request.status.isInApproval
        if !immediate { try checkNotice(request, engine: engine, today: today) }
        try record(request, immediate: immediate || effectiveDate == today, on: connection)
    }

    private func authorize(_ request: RequestRecord, steps: [StepRecord]) throws(WorkflowError) {
        switch action {
        case .withdraw:
            guard actor == PolicyEngine.identity(request.input.employee.email) else {
                throw .forbidden("Only the employee (\(request.input.employee.email)) may withdraw this request.")
            }
        case .terminate:
            let approvers = Set(steps.flatMap { [$0.approverEmail, $0.actingApproverEmail].compactMap { $0 } })
            guard actor == PolicyEngine.identity(request.input.supervisorEmail) || approvers.contains(actor) else {
                throw .forbidden(
                    "Only the supervisor (\(request.input.supervisorEmail)) or an approver of the request's chain may terminate it."
                )
            }
        }
    }

    private func checkNotice(_ request: RequestRecord, engine: PolicyEngine, today: CivilDate) throws(WorkflowError) {
        let check = engine.checkNotice(
            NoticeRequest(
                arrangementType: request.input.arrangementType,
                action: action == .withdraw ? .withdrawal : .termination,
                noticeGivenOn: today, effectiveOn: effectiveDate, arrangementStart: request.input.startDate,
                employee: request.input.employee))
        guard check.ok else {
            let earliest = check.earliestEffectiveDate.map { " The earliest effective date allowed is \($0)." } ?? ""
            throw .noticePeriod(
                check.violations.map(\.message).joined(separator: " ") + earliest, violations: check.violations)
        }
    }

    private func record(_ request: RequestRecord, immediate: Bool, on connection: PostgresConnection) throws {
        let status = immediate ? action.finalStatus : request.status
        try connection.query(
            """
            UPDATE requests SET status = $2, effective_end_date = $3::date, decision_reason = coalesce($4, decision_reason),
                                updated_at = now() WHERE id = $1
            """, requestID, status, effectiveDate.description, reason)
        if immediate {
            try connection.query(
                "UPDATE request_steps SET status = 'cancelled' WHERE request_id = $1 AND status IN ('open', 'pending')",
                requestID)
        }
        try AuditLog.append(
            AuditEvent(
                tenantID: tenantID, requestID: requestID, actor: actor, action: action.finalStatus.rawValue,
                before: JSONText(encoding: ["status": request.status.rawValue]),
                after: JSONText(encoding: [
                    "status": status.rawValue, "effective_date": effectiveDate.description, "reason": reason ?? "",
                ])),
            on: connection)
        let job = EndingJob(requestID: requestID, action: action)
        try JobQueue.enqueue(NewJob(job, tenantID: tenantID, uniqueKey: job.uniqueKey), on: connection)
    }
}
