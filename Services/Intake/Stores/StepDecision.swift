import Foundation
import Policy
import Postgres
import Queue
import Storage

/// Records an approver's decision on one step (the workflow contract with the approval-router):
/// the step must be open, the person its approver or a delegate allowed today, and, where the
/// policy wants distinct approvers, someone who has not decided another step of the request.
struct StepDecision: Sendable {
    enum Selector: Sendable { case open, index(Int), id(String) }

    var requestID: UUID
    var tenantID: String
    var selector: Selector
    var decision: String
    var reason: String?
    var actor: String

    /// Decides in the caller's transaction; returns the decided step.
    func apply(engines: PolicyEngineCache, on connection: PostgresConnection) throws -> StepRecord {
        guard let request = try RequestRecord.find(requestID, lock: true, on: connection) else { throw APIProblem.notFound("The request") }
        let steps = try StepRecord.all(of: requestID, on: connection)
        let step = try select(steps)
        guard step.status == "open" else {
            throw APIProblem(.stepClosed, "Step \(step.index) (\(step.stepID)) is \(step.status), not open; only an open step can be decided.")
        }
        guard let engine = try engines.engine(tenantID: tenantID, version: request.policyVersion, on: connection) else {
            throw APIProblem.notFound("The request's policy")
        }
        // Whatever the chain says (a request stored before this check, a delegation, an action
        // link): the employee never decides a step of their own request.
        guard PolicyEngine.identity(actor) != PolicyEngine.identity(request.input.employee.email) else {
            throw APIProblem(.forbidden, "\(actor) is the employee who made this request; nobody decides a step of their own request.")
        }
        let today = IntakeAPI.today(engine)
        let viaDelegation = try authorize(step, request: request, engine: engine, today: today, on: connection)
        if request.evaluation.distinctApprovers || engine.distinctApprovers,
           let other = steps.first(where: { $0.index != step.index && $0.decision != nil && ($0.actingApproverEmail ?? $0.approverEmail) == actor }) {
            throw APIProblem(.forbidden, "\(actor) already decided step \(other.index) (\(other.stepID)) of this request; the policy requires a different person for each step.")
        }
        try connection.query("""
            UPDATE request_steps SET status = $3, decision = $4, reason = $5, decided_at = now(), acting_approver_email = $6
             WHERE request_id = $1 AND idx = $2
            """, requestID, step.index, decision == "approve" ? "approved" : "denied", decision, reason, viaDelegation ? actor : nil)
        try connection.query("UPDATE requests SET updated_at = now() WHERE id = $1", requestID)
        try AuditLog.append(AuditEvent(
            tenantID: tenantID, requestID: requestID, actor: actor, action: "decided",
            before: JSONText(encoding: ["step": String(step.index), "status": "open"]),
            after: JSONText(encoding: ["step": String(step.index), "decision": decision, "reason": reason ?? "",
                                       "on_behalf_of": viaDelegation ? step.approverEmail : ""])), on: connection)
        try JobQueue.enqueue(NewJob(
            queue: "routing", kind: "step.decided",
            payload: StepDecidedPayload(requestID: requestID.uuidString.lowercased(), stepIndex: step.index),
            tenantID: tenantID, uniqueKey: "decided:\(requestID.uuidString.lowercased()):\(step.index)"), on: connection)
        return try StepRecord.all(of: requestID, on: connection).first { $0.index == step.index }!
    }

    private func select(_ steps: [StepRecord]) throws -> StepRecord {
        switch selector {
        case .open:
            guard let step = steps.first(where: { $0.status == "open" }) else {
                throw APIProblem(.stepClosed, "The request has no open step to decide.")
            }
            return step
        case .index(let index):
            guard let step = steps.first(where: { $0.index == index }) else {
                throw APIProblem.validation([.init(pointer: "/step", message: "the request has no step \(index); it has steps 0 to \(steps.count - 1)")])
            }
            return step
        case .id(let id):
            guard let step = steps.first(where: { $0.stepID == id }) else {
                throw APIProblem.validation([.init(pointer: "/step_id", message: "the request has no step \"\(id.prefix(128))\"")])
            }
            return step
        }
    }

    /// Whether the actor decides as a delegate (false: as the approver); `403` when neither.
    private func authorize(_ step: StepRecord, request: RequestRecord, engine: PolicyEngine, today: CivilDate,
                           on connection: PostgresConnection) throws -> Bool {
        if step.approverEmail == actor { return false }
        let delegated = try step.delegable && DelegationRecord.holds(
            delegate: actor, role: step.role, delegator: step.approverEmail, on: today, on: connection)
        let allowed = step.delegableTo.isEmpty || step.delegableTo.contains { role in
            engine.approver(forRole: role, department: request.input.employee.department,
                            supervisorEmail: request.input.supervisorEmail).map(EmailIdentity.lowercased) == actor
        }
        guard delegated, allowed else {
            throw APIProblem(.forbidden, "\(actor) may not decide step \(step.index) (\(step.stepID)): its approver is \(step.approverEmail), and \(actor) holds no delegation of the \(step.role) role from them for \(today) that the policy allows.")
        }
        return true
    }
}

/// The payload of a `step.decided` routing job.
struct StepDecidedPayload: Codable, Sendable {
    var requestID: String
    var stepIndex: Int

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case stepIndex = "step_idx"
    }
}
