import Foundation
import Policy
import Postgres
import Queue
import Storage

/// A withdrawal (by the employee) or termination (by the supervisor or an approver of the
/// chain), checked against the tenant's notice periods and recorded with its routing job.
struct RequestEnding: Sendable {
    enum Action: String, Sendable {
        case withdraw, terminate

        var notice: NoticeAction { self == .withdraw ? .withdrawal : .termination }
        var finalStatus: String { self == .withdraw ? "withdrawn" : "terminated" }
    }

    var action: Action
    var requestID: UUID
    var tenantID: String
    var effectiveDate: CivilDate
    var reason: String?
    var actor: String

    func apply(engines: PolicyEngineCache, on connection: PostgresConnection) throws {
        guard let request = try RequestRecord.find(requestID, lock: true, on: connection) else { throw APIProblem.notFound("The request") }
        let steps = try StepRecord.all(of: requestID, on: connection)
        try authorize(request, steps: steps)
        let allowed = action == .withdraw ? RequestRecord.inApproval.union(RequestRecord.granted) : RequestRecord.granted
        guard allowed.contains(request.status) else {
            throw APIProblem(.invalidState, "A request that is \(request.status) cannot be \(action == .withdraw ? "withdrawn" : "terminated"); allowed while it is \(allowed.sorted().joined(separator: ", ")).")
        }
        guard let engine = try engines.engine(tenantID: tenantID, version: request.policyVersion, on: connection) else {
            throw APIProblem.notFound("The request's policy")
        }
        let today = IntakeAPI.today(engine)
        guard effectiveDate >= today else {
            throw APIProblem.validation([.init(pointer: "/effective_date", message: "must not be before today (\(today)) in the tenant's time zone")])
        }
        let immediate = RequestRecord.inApproval.contains(request.status)
        if !immediate { try checkNotice(request, engine: engine, today: today) }
        try record(request, immediate: immediate || effectiveDate == today, on: connection)
    }

    private func authorize(_ request: RequestRecord, steps: [StepRecord]) throws {
        switch action {
        case .withdraw:
            guard actor == EmailIdentity.lowercased(request.input.employee.email) else {
                throw APIProblem(.forbidden, "Only the employee (\(request.input.employee.email)) may withdraw this request.")
            }
        case .terminate:
            let approvers = Set(steps.flatMap { [$0.approverEmail, $0.actingApproverEmail].compactMap { $0 } })
            guard actor == EmailIdentity.lowercased(request.input.supervisorEmail) || approvers.contains(actor) else {
                throw APIProblem(.forbidden, "Only the supervisor (\(request.input.supervisorEmail)) or an approver of the request's chain may terminate it.")
            }
        }
    }

    private func checkNotice(_ request: RequestRecord, engine: PolicyEngine, today: CivilDate) throws {
        let check = engine.checkNotice(NoticeRequest(
            arrangementType: request.input.arrangementType, action: action.notice, noticeGivenOn: today,
            effectiveOn: effectiveDate, arrangementStart: request.input.startDate, employee: request.input.employee))
        guard check.ok else {
            let earliest = check.earliestEffectiveDate.map { " The earliest effective date allowed is \($0)." } ?? ""
            throw APIProblem(.noticePeriod, check.violations.map(\.message).joined(separator: " ") + earliest,
                             errors: check.violations.map { .init(pointer: "/effective_date", message: $0.message, ruleId: $0.ruleId) },
                             violations: check.violations)
        }
    }

    private func record(_ request: RequestRecord, immediate: Bool, on connection: PostgresConnection) throws {
        let status = immediate ? action.finalStatus : request.status
        try connection.query("""
            UPDATE requests SET status = $2, effective_end_date = $3::date, decision_reason = coalesce($4, decision_reason),
                                updated_at = now() WHERE id = $1
            """, requestID, status, effectiveDate.description, reason)
        if immediate {
            try connection.query("UPDATE request_steps SET status = 'cancelled' WHERE request_id = $1 AND status IN ('open', 'pending')", requestID)
        }
        try AuditLog.append(AuditEvent(
            tenantID: tenantID, requestID: requestID, actor: actor, action: action.finalStatus,
            before: JSONText(encoding: ["status": request.status]),
            after: JSONText(encoding: ["status": status, "effective_date": effectiveDate.description, "reason": reason ?? ""])), on: connection)
        try JobQueue.enqueue(NewJob(
            queue: "routing", kind: "request.ending",
            payload: ["request_id": requestID.uuidString.lowercased(), "action": action.rawValue],
            tenantID: tenantID, runAt: nil, uniqueKey: "ending:\(requestID.uuidString.lowercased())"), on: connection)
    }
}

