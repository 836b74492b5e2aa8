import Foundation
import Policy
import Storage
import Workflow

/// Withdrawal by the employee and termination by the supervisor or department.
extension IntakeAPI {
    func withdrawRequest(_ input: Operations.WithdrawRequest.Input) async throws -> Operations.WithdrawRequest.Output {
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType, "Send JSON.") }
        let detail = try await end(
            .withdraw, tenant: input.path.tenant, id: input.path.id, effective: body.effectiveDate,
            reason: body.reason, clientKey: input.headers.idempotencyKey, body: body)
        return .ok(.init(body: .json(detail)))
    }

    func terminateRequest(_ input: Operations.TerminateRequest.Input) async throws -> Operations.TerminateRequest.Output
    {
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType, "Send JSON.") }
        let detail = try await end(
            .terminate, tenant: input.path.tenant, id: input.path.id, effective: body.effectiveDate,
            reason: body.reason, clientKey: input.headers.idempotencyKey, body: body)
        return .ok(.init(body: .json(detail)))
    }

    private func end(
        _ action: EndingKind, tenant: String, id idText: String, effective: String, reason: String?,
        clientKey: String?, body: some Encodable
    ) async throws -> Components.Schemas.RequestDetail {
        let id = try uuid(idText, "The request")
        let actor = try actingUser()
        var check = Validator()
        let date = check.date(effective, "/effective_date")
        check.length(reason, "/reason", min: 1, max: 4000, multiline: true)
        try check.finish()
        let ending = RequestEnding(
            action: action, requestID: id, tenantID: tenant, effectiveDate: date!, reason: reason, actor: actor)
        let key = try idempotencyKey(
            clientKey, tenant: tenant, method: "POST",
            path: "/v1/tenants/\(tenant)/requests/\(idText)/\(action.rawValue)", body: body)
        let engines = self.engines
        return try await pool.tenantTransaction(tenant) { connection in
            try Idempotency.run(key, on: connection) {
                try ending.apply(engines: engines, on: connection)
                return StoredAnswer(status: 200, location: nil, body: try Self.detail(id, on: connection))
            }
        }.body
    }
}
