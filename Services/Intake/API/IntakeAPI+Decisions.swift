import Foundation
import Policy
import Postgres
import Storage
import Workflow

/// Approval decisions by an API key acting for a verified person.
extension IntakeAPI {
    func decideRequest(_ input: Operations.DecideRequest.Input) async throws -> Operations.DecideRequest.Output {
        let tenant = input.path.tenant
        let id = try uuid(input.path.id, "The request")
        let actor = try actingUser()
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType, "Send JSON.") }
        let selector = try Self.selector(body)
        try Self.checkReason(decision: SchemaMapping.decision(body.decision), reason: body.reason, pointer: "/reason")
        let decision = StepDecision(
            requestID: id, tenantID: tenant, selector: selector, decision: SchemaMapping.decision(body.decision),
            reason: Self.normalized(body.reason), actor: actor)
        let key = try idempotencyKey(
            input.headers.idempotencyKey, tenant: tenant, method: "POST",
            path: "/v1/tenants/\(tenant)/requests/\(input.path.id)/decisions", body: body)
        let engines = self.engines
        let answer = try await pool.tenantTransaction(tenant) { connection in
            try Idempotency.run(key, on: connection) {
                _ = try decision.apply(engines: engines, on: connection)
                return StoredAnswer(status: 200, location: nil, body: try Self.detail(id, on: connection))
            }
        }
        return .ok(.init(body: .json(answer.body)))
    }

    static func selector(_ body: Components.Schemas.DecisionSubmission) throws(APIProblem) -> StepDecision.Selector {
        switch (body.step, body.stepId) {
        case (.some, .some):
            throw APIProblem.validation([.init(pointer: "/step", message: "give step or step_id, not both")])
        case (.some(let index), nil):
            guard index >= 0 else {
                throw APIProblem.validation([.init(pointer: "/step", message: "must be 0 or more")])
            }
            return .index(Int(index))
        case (nil, .some(let id)):
            guard (1...128).contains(id.count) else {
                throw APIProblem.validation([.init(pointer: "/step_id", message: "must be 1 to 128 characters")])
            }
            return .id(id)
        case (nil, nil):
            return .open
        }
    }

    /// A denial needs a written reason (`422 reason-required`); reasons are at most 4000 characters.
    static func checkReason(decision: Workflow.Decision, reason: String?, pointer: String) throws(APIProblem) {
        let text = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if decision == .deny, text.isEmpty {
            throw APIProblem(
                .reasonRequired, "A denial needs a reason: say why, for the employee and the audit trail.",
                errors: [.init(pointer: pointer, message: "is required when the decision is deny")])
        }
        var check = Validator()
        check.length(reason, pointer, max: 4000, multiline: true)
        try check.finish()
    }

    /// A reason with surrounding blanks removed; nil when nothing is left (an empty form field).
    static func normalized(_ reason: String?) -> String? {
        let text = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? nil : text
    }
}
