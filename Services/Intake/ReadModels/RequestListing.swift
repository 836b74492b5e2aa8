import Foundation
import Postgres
import Storage
import Workflow

/// One page of request summaries, newest first, each with its open step.
enum RequestListing {
    static func page(filter: SQLFilter, limit: Int, on connection: PostgresConnection) throws -> Components.Schemas.RequestPage {
        var filter = filter
        let limitClause = filter.limit(limit + 1)
        let rows = try connection.query("""
            SELECT \(RequestRecord.columns("r")) FROM requests r
            \(filter.whereClause) ORDER BY r.created_at DESC, r.id DESC \(limitClause)
            """, filter.parameters).rows.map(RequestRecord.init(row:))
        let requests = Array(rows.prefix(limit))
        let open = try RequestStore.openSteps(of: requests.map(\.id), on: connection)
        let items = requests.map { request in
            Components.Schemas.RequestSummary(
                id: request.idText, status: SchemaMapping.status(request.status),
                policyVersion: Int32(request.policyVersion), arrangementType: request.input.arrangementType,
                employeeEmail: request.input.employee.email, employeeName: request.input.employee.name,
                department: request.input.employee.department, supervisorEmail: request.input.supervisorEmail,
                startDate: request.input.startDate.description, endDate: request.input.endDate?.description,
                openStep: open[request.id].map(SchemaMapping.step), createdAt: request.createdAt, updatedAt: request.updatedAt)
        }
        return .init(items: items, nextCursor: PageCursor.next(after: requests, fetched: rows.count, limit: limit) {
            ($0.createdAt, $0.idText)
        })
    }
}
