import Foundation
import Postgres
import Storage

/// Compliance alerts: listed and acknowledged here, written by the compliance-checker.
extension IntakeAPI {
    func listAlerts(_ input: Operations.ListAlerts.Input) async throws -> Operations.ListAlerts.Output {
        let tenant = input.path.tenant
        let query = input.query
        let limit = try PageCursor.limit(query.limit)
        let cursor = try PageCursor.parse(query.cursor)
        var check = Validator()
        check.length(query.kind, "#kind", min: 1, max: 64)
        if let region = query.region, !Self.isJurisdiction(region) {
            check.fail("#region", "must be a country (FR) or an ISO 3166-2 subdivision (US-CA)")
        }
        try check.finish()
        let filter = AlertListing.filter(query, cursor: cursor)
        let page = try await pool.tenantTransaction(tenant) { connection in
            try AlertListing.page(filter: filter, limit: limit, on: connection)
        }
        return .ok(.init(body: .json(page)))
    }

    func acknowledgeAlert(_ input: Operations.AcknowledgeAlert.Input) async throws -> Operations.AcknowledgeAlert.Output
    {
        let tenant = input.path.tenant
        let id = try uuid(input.path.id, "The alert")
        let actor = try actingUser()
        let engines = self.engines
        var given: String?
        if case .json(let body) = input.body { given = body.note }
        let note = given
        var check = Validator()
        check.length(note, "/note", max: 2000, multiline: true)
        try check.finish()
        let key = try idempotencyKey(
            input.headers.idempotencyKey, tenant: tenant, method: "POST",
            path: "/v1/tenants/\(tenant)/alerts/\(input.path.id)/acknowledge", body: ["note": note])
        let answer = try await pool.tenantTransaction(tenant) { connection in
            try Idempotency.run(key, on: connection) {
                let acknowledgement = AlertAcknowledgement(alertID: id, tenantID: tenant, actor: actor, note: note)
                let updated = try acknowledgement.apply(engines: engines, on: connection)
                return StoredAnswer(status: 200, location: nil, body: SchemaMapping.alert(updated))
            }
        }
        return .ok(.init(body: .json(answer.body)))
    }

    static func isJurisdiction(_ text: String) -> Bool {
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        return Validator.isCode(parts[0], lengths: 2...2, lettersOnly: true)
            && (parts.count == 1 || Validator.isCode(parts[1], lengths: 1...3, lettersOnly: false))
    }
}
