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
        var filter = SQLFilter()
        if let status = query.status { filter.add("a.status = $?", status.rawValue) }
        if let kind = query.kind { filter.add("a.kind = $?", kind) }
        if let region = query.region {
            filter.add(region.contains("-") ? "a.jurisdiction = $?" : "(a.jurisdiction = $? OR a.jurisdiction LIKE $? || '-%')", region)
        }
        filter.after(cursor, table: "a", idType: "uuid")
        let finalFilter = filter
        let rows = try await pool.tenantTransaction(tenant) { connection in
            var filter = finalFilter
            let limitClause = filter.limit(limit + 1)
            return try connection.query("""
                SELECT \(AlertRecord.columns) FROM alerts a \(filter.whereClause) ORDER BY a.created_at DESC, a.id DESC \(limitClause)
                """, filter.parameters).rows.map(AlertRecord.init(row:))
        }
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map { PageCursor(createdAt: $0.createdAt, id: $0.id.uuidString.lowercased()).token } : nil
        return .ok(.init(body: .json(.init(items: page.map(\.schema), nextCursor: next))))
    }

    func acknowledgeAlert(_ input: Operations.AcknowledgeAlert.Input) async throws -> Operations.AcknowledgeAlert.Output {
        let tenant = input.path.tenant
        let id = try uuid(input.path.id, "The alert")
        let actor = try actingUser()
        let authority = AlertAuthority(tenantID: tenant, actor: actor)
        let engines = self.engines
        var given: String?
        if case .json(let body) = input.body { given = body.note }
        let note = given
        var check = Validator()
        check.length(note, "/note", max: 2000, multiline: true)
        try check.finish()
        let key = try idempotencyKey(input.headers.idempotencyKey, tenant: tenant, method: "POST",
                                     path: "/v1/tenants/\(tenant)/alerts/\(input.path.id)/acknowledge", body: ["note": note])
        let answer = try await pool.tenantTransaction(tenant) { connection in
            try Idempotency.run(key, on: connection) {
                guard let alert = try connection.query("SELECT \(AlertRecord.columns) FROM alerts WHERE id = $1 FOR UPDATE", id)
                    .first.map(AlertRecord.init(row:)) else { throw APIProblem.notFound("The alert") }
                try authority.check(alert, engines: engines, on: connection)
                guard alert.status == "open" else {
                    throw APIProblem(.alreadyAcknowledged, "The alert was already acknowledged by \(alert.acknowledgedBy ?? "someone") at \(alert.acknowledgedAt.map { "\($0)" } ?? "an earlier time").")
                }
                let updated = try connection.query("""
                    UPDATE alerts SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = $2, note = $3
                     WHERE id = $1 RETURNING \(AlertRecord.columns)
                    """, id, actor, note).first.map(AlertRecord.init(row:))!
                try AuditLog.append(AuditEvent(tenantID: tenant, requestID: alert.requestID, actor: actor, action: "alert_acknowledged",
                                               before: JSONText(encoding: ["alert": id.uuidString.lowercased(), "status": "open"]),
                                               after: JSONText(encoding: ["alert": id.uuidString.lowercased(), "status": "acknowledged", "note": note ?? ""])), on: connection)
                return StoredAnswer(status: 200, location: nil, body: updated.schema)
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
