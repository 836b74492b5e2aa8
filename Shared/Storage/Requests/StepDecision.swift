import Foundation
import Jobs
import Policy
import Postgres
import Queue
import Workflow

/// Records an approver's decision on one step (the workflow contract with the approval-router):
/// the step must be open, the person its approver or a delegate allowed today, and, where the
/// policy wants distinct approvers, someone who has not decided another step of the request.
public struct StepDecision: Sendable {
    /// Which step: the open one, by position, or by the tenant file's step id.
    public enum Selector: Sendable {
        case open
        case index(Int)
        case id(String)
    }

    public var requestID: UUID
    public var tenantID: String
    public var selector: Selector
    public var decision: Decision
    public var reason: String?
    public var actor: String

    public init(
        requestID: UUID, tenantID: String, selector: Selector, decision: Decision, reason: String?, actor: String
    ) {
        self.requestID = requestID
        self.tenantID = tenantID
        self.selector = selector
        self.decision = decision
        self.reason = reason
        self.actor = actor
    }

    /// Decides in the caller's transaction; returns the decided step.
    public func apply(engines: PolicyEngineCache, now: Date = Date(), on connection: PostgresConnection) throws
        -> StepRecord
    {
        guard let request = try RequestStore.find(requestID, lock: true, on: connection) else {
            throw WorkflowError.notFound("The request")
        }
        let steps = try RequestStore.steps(of: requestID, on: connection)
        let step = try select(steps)
        guard step.status == .open else {
            throw WorkflowError.stepClosed(
                "Step \(step.index) (\(step.stepID)) is \(step.status.rawValue), not open; only an open step can be decided."
            )
        }
        guard let engine = try engines.engine(tenantID: tenantID, version: request.policyVersion, on: connection) else {
            throw WorkflowError.notFound("The request's policy")
        }
        // Whatever the chain says (a request stored before this check, a delegation, an action
        // link): the employee never decides a step of their own request.
        guard PolicyEngine.identity(actor) != PolicyEngine.identity(request.input.employee.email) else {
            throw WorkflowError.forbidden(
                "\(actor) is the employee who made this request; nobody decides a step of their own request.")
        }
        let today = TenantClock(policy: engine.policy, now: now).today
        let viaDelegation = try authorize(step, request: request, engine: engine, today: today, on: connection)
        if request.evaluation.distinctApprovers || engine.distinctApprovers,
            let other = steps.first(where: { $0.index != step.index && $0.decision != nil && $0.decidedBy == actor })
        {
            throw WorkflowError.forbidden(
                "\(actor) already decided step \(other.index) (\(other.stepID)) of this request; the policy requires a different person for each step."
            )
        }
        try connection.query(
            """
            UPDATE request_steps SET status = $3, decision = $4, reason = $5, decided_at = now(), acting_approver_email = $6
             WHERE request_id = $1 AND idx = $2
            """, requestID, step.index, decision.stepStatus, decision, reason, viaDelegation ? actor : nil)
        try connection.query("UPDATE requests SET updated_at = now() WHERE id = $1", requestID)
        try AuditLog.append(
            AuditEvent(
                tenantID: tenantID, requestID: requestID, actor: actor, action: "decided",
                before: JSONText(encoding: ["step": String(step.index), "status": StepStatus.open.rawValue]),
                after: JSONText(encoding: [
                    "step": String(step.index), "decision": decision.rawValue, "reason": reason ?? "",
                    "on_behalf_of": viaDelegation ? step.approverEmail : "",
                ])), on: connection)
        let job = StepDecidedJob(requestID: requestID, stepIndex: step.index)
        try JobQueue.enqueue(NewJob(job, tenantID: tenantID, uniqueKey: job.uniqueKey), on: connection)
        guard
            let decided = try RequestStore.steps(of: requestID, on: connection).first(where: { $0.index == step.index })
        else {
            throw WorkflowError.notFound("The step")
        }
        return decided
    }

    private func select(_ steps: [StepRecord]) throws(WorkflowError) -> StepRecord {
        switch selector {
        case .open:
            guard let step = steps.first(where: { $0.status == .open }) else {
                throw .stepClosed("The request has no open step to decide.")
            }
            return step
        case .index(let index):
            guard let step = steps.first(where: { $0.index == index }) else {
                throw .invalidField(
                    pointer: "/step", message: "the request has no step \(index); it has steps 0 to \(steps.count - 1)")
            }
            return step
        case .id(let id):
            guard let step = steps.first(where: { $0.stepID == id }) else {
                throw .invalidField(pointer: "/step_id", message: "the request has no step \"\(id.prefix(128))\"")
            }
            return step
        }
    }

    /// Whether the actor decides as a delegate (false: as the approver); forbidden when neither.
    private func authorize(
        _ step: StepRecord, request: RequestRecord, engine: PolicyEngine, today: CivilDate,
        on connection: PostgresConnection
    ) throws -> Bool {
        if step.approverEmail == actor { return false }
        let delegated =
            try step.delegable
            && DelegationStore.holds(
                delegate: actor, role: step.role, delegator: step.approverEmail, on: today, on: connection)
        let allowed =
            step.delegableTo.isEmpty
            || step.delegableTo.contains { role in
                engine.approver(
                    forRole: role, department: request.input.employee.department,
                    supervisorEmail: request.input.supervisorEmail
                ).map(PolicyEngine.identity) == actor
            }
        guard delegated, allowed else {
            throw WorkflowError.forbidden(
                "\(actor) may not decide step \(step.index) (\(step.stepID)): its approver is \(step.approverEmail), and \(actor) holds no delegation of the \(step.role) role from them for \(today) that the policy allows."
            )
        }
        return true
    }
}
