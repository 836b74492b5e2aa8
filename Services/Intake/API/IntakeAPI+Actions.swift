import Foundation
import OpenAPIRuntime
import Postgres
import Storage

/// Email action links: the signed single-use token in the path is the credential.
extension IntakeAPI {
    func getAction(_ input: Operations.GetAction.Input) async throws -> Operations.GetAction.Output {
        let token = try await actionToken(input.path.token)
        let page = try await pool.tenantTransaction(token.tenantID) { connection in
            try ActionTokenStore.checkUsable(token.id, on: connection)
            guard let detail = try RequestDetailView.load(token.requestID, on: connection),
                let step = detail.chain.first(where: { $0.index == token.stepIndex })
            else { throw APIProblem.notFound("The action link") }
            return ActionPage.html(detail: detail, step: step, preselected: input.query.decision?.rawValue)
        }
        return .ok(.init(body: .html(HTTPBody(page))))
    }

    func postAction(_ input: Operations.PostAction.Input) async throws -> Operations.PostAction.Output {
        let body: Components.Schemas.ActionSubmission
        switch input.body {
        case .json(let given), .urlEncodedForm(let given): body = given
        }
        try Self.checkReason(decision: SchemaMapping.decision(body.decision), reason: body.reason, pointer: "/reason")
        let token = try await actionToken(input.path.token)
        let key = try IdempotencyKey(
            input.headers.idempotencyKey, tenantID: token.tenantID, credential: "action:\(token.id)",
            method: "POST", path: "/v1/actions/\(token.id)", body: body)
        let decision = StepDecision(
            requestID: token.requestID, tenantID: token.tenantID, selector: .index(token.stepIndex),
            decision: SchemaMapping.decision(body.decision), reason: Self.normalized(body.reason),
            actor: token.approverEmail)
        let engines = self.engines
        let answer = try await pool.tenantTransaction(token.tenantID) { connection in
            try Idempotency.run(key, on: connection) {
                try ActionTokenStore.consume(token.id, on: connection)
                let step = try decision.apply(engines: engines, on: connection)
                guard let status = try RequestStore.find(token.requestID, on: connection)?.status else {
                    throw APIProblem.notFound("The request")
                }
                return StoredAnswer(
                    status: 200, location: nil,
                    body: Components.Schemas.ActionOutcome(
                        requestId: token.requestID.uuidString.lowercased(), stepIndex: Int32(step.index),
                        stepId: step.stepID,
                        role: step.role, decision: body.decision, decidedAt: step.decidedAt ?? Date(),
                        requestStatus: SchemaMapping.status(status)))
            }
        }
        return .ok(.init(body: .json(answer.body)))
    }

    /// The token's row when its signature is valid; `404` for a malformed or forged token.
    private func actionToken(_ token: String) async throws -> ActionTokenRecord {
        guard let secret = configuration.actionLinkSecret, let id = ActionLink.verify(token, secret: secret) else {
            throw APIProblem.notFound("The action link")
        }
        // The tenant is not known before the row is read: a SECURITY DEFINER lookup.
        let record = try await pool.withConnection { try ActionTokenStore.lookup(id, on: $0) }
        guard let record else { throw APIProblem.notFound("The action link") }
        return record
    }
}
