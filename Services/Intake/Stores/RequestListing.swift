import Foundation
import Postgres

/// One page of request summaries, newest first, each with its open step.
enum RequestListing {
    static func page(filter: SQLFilter, limit: Int, on connection: PostgresConnection) throws -> Components.Schemas.RequestPage {
        var filter = filter
        let limitClause = filter.limit(limit + 1)
        let rows = try connection.query("""
            SELECT \(RequestRecord.columns.replacingOccurrences(of: "id, tenant_id", with: "r.id, r.tenant_id")) FROM requests r
            \(filter.whereClause) ORDER BY r.created_at DESC, r.id DESC \(limitClause)
            """, filter.parameters).rows.map(RequestRecord.init(row:))
        let requests = Array(rows.prefix(limit))
        let open = try openSteps(requests.map(\.id), on: connection)
        let items = requests.map { request in
            Components.Schemas.RequestSummary(
                id: request.id.uuidString.lowercased(), status: SchemaMapping.status(request.status),
                policyVersion: Int32(request.policyVersion), arrangementType: request.input.arrangementType,
                employeeEmail: request.input.employee.email, employeeName: request.input.employee.name,
                department: request.input.employee.department, supervisorEmail: request.input.supervisorEmail,
                startDate: request.input.startDate.description, endDate: request.input.endDate?.description,
                openStep: open[request.id].map(SchemaMapping.step), createdAt: request.createdAt, updatedAt: request.updatedAt)
        }
        let next = rows.count > limit ? requests.last.map { PageCursor(createdAt: $0.createdAt, id: $0.id.uuidString.lowercased()).token } : nil
        return .init(items: items, nextCursor: next)
    }

    private static func openSteps(_ ids: [UUID], on connection: PostgresConnection) throws -> [UUID: StepRecord] {
        guard !ids.isEmpty else { return [:] }
        var steps: [UUID: StepRecord] = [:]
        for row in try connection.query("""
            SELECT request_id, \(StepRecord.columns) FROM request_steps WHERE request_id = ANY($1::uuid[]) AND status = 'open'
            """, ids).rows {
            steps[try row.decode("request_id", as: UUID.self)] = try StepRecord(row: row)
        }
        return steps
    }
}
