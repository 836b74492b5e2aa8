import Foundation
import Policy
import Postgres
import Storage

/// Submitting, reading and listing requests.
extension IntakeAPI {
    func submitRequest(_ input: Operations.SubmitRequest.Input) async throws -> Operations.SubmitRequest.Output {
        let tenant = input.path.tenant
        let principal = try principal()
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType, "Send JSON.") }
        // Field checks first, with a provisional date: every field error comes back at once.
        _ = try SubmissionMapping.request(body, submittedOn: CivilDate(dayNumber: 0))
        let key = try idempotencyKey(
            input.headers.idempotencyKey, tenant: tenant, method: "POST", path: "/v1/tenants/\(tenant)/requests",
            body: body)
        let engines = self.engines
        let answer = try await pool.tenantTransaction(tenant) { connection in
            try Idempotency.run(key, on: connection) {
                guard let (version, engine) = try engines.active(tenantID: tenant, on: connection) else {
                    throw APIProblem.notFound("The tenant \"\(tenant)\"")
                }
                let request = try SubmissionMapping.request(body, submittedOn: Self.today(engine))
                let evaluation = engine.evaluate(request)
                guard evaluation.eligible else { throw Self.policyProblem(evaluation.violations) }
                if let existing = try RequestSubmission.overlapping(request, tenantID: tenant, on: connection) {
                    throw APIProblem(
                        .duplicateRequest,
                        "\(request.employee.email) already has an open \(request.arrangementType) request for overlapping dates (\(existing.uuidString.lowercased())); withdraw it first or change the dates."
                    )
                }
                let id = UUID()
                try RequestSubmission.insert(
                    id: id, tenantID: tenant, version: version, request: request, evaluation: evaluation,
                    actor: principal.actor, on: connection)
                let idText = id.uuidString.lowercased()
                return StoredAnswer(
                    status: 202, location: location("/v1/tenants/\(tenant)/requests/\(idText)"),
                    body: Components.Schemas.SubmissionAccepted(
                        id: idText, status: .submitted, policyVersion: Int32(version),
                        warnings: evaluation.warnings.isEmpty ? nil : evaluation.warnings.map(SchemaMapping.violation)))
            }
        }
        return .accepted(.init(headers: .init(location: answer.location ?? ""), body: .json(answer.body)))
    }

    /// `422 policy-violation` listing every broken rule; rules about a field also appear as field errors.
    static func policyProblem(_ violations: [RuleViolation]) -> APIProblem {
        let detail =
            violations.count == 1
            ? violations[0].message
            : "The request breaks \(violations.count) rules of the policy: "
                + violations.map(\.message).joined(separator: " ")
        return APIProblem(
            .policyViolation, detail,
            errors: violations.compactMap { violation in
                violation.field.map { .init(pointer: $0, message: violation.message, ruleId: violation.ruleId) }
            }, violations: violations)
    }

    func getRequest(_ input: Operations.GetRequest.Input) async throws -> Operations.GetRequest.Output {
        let tenant = input.path.tenant
        let id = try uuid(input.path.id, "The request")
        let detail = try await pool.tenantTransaction(tenant) { try RequestDetailView.load(id, on: $0) }
        guard let detail else { throw APIProblem.notFound("The request") }
        return .ok(.init(body: .json(detail)))
    }

    func listRequests(_ input: Operations.ListRequests.Input) async throws -> Operations.ListRequests.Output {
        let tenant = input.path.tenant
        let query = input.query
        let cursor = try PageCursor.parse(query.cursor)
        var check = Validator()
        check.range(query.limit, "#limit", 1...200)
        let limit = query.limit ?? 50
        check.email(query.approver, "#approver")
        check.email(query.employee, "#employee")
        check.key(query.arrangementType, "#arrangement_type")
        let from = check.date(query.from, "#from")
        let to = check.date(query.to, "#to")
        check.order(from, to, "#to", startName: "from")
        if (query.status?.count ?? 0) > 10 { check.fail("#status", "may repeat at most 10 times") }
        try check.finish()
        let filter = RequestListing.filter(query, from: from, to: to, cursor: cursor)
        let page = try await pool.tenantTransaction(tenant) { connection in
            try RequestListing.page(filter: filter, limit: limit, on: connection)
        }
        return .ok(.init(body: .json(page)))
    }
}
