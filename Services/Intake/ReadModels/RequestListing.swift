import Foundation
import Policy
import Postgres
import Storage
import Workflow

/// One page of request summaries, newest first, each with its open step.
enum RequestListing {
    /// The WHERE clause of the listing's query parameters (already validated).
    static func filter(
        _ query: Operations.ListRequests.Input.Query, from: CivilDate?, to: CivilDate?, cursor: PageCursor?
    )
        -> SQLFilter
    {
        var filter = SQLFilter()
        if let statuses = query.status, !statuses.isEmpty {
            filter.add("r.status = ANY($?::text[])", statuses.map(\.rawValue))
        }
        if let approver = query.approver.map(EmailIdentity.lowercased) {
            filter.add(
                "EXISTS (SELECT 1 FROM request_steps s WHERE s.request_id = r.id AND $? IN (s.approver_email, s.acting_approver_email))",
                approver)
        }
        if let employee = query.employee.map(EmailIdentity.lowercased) { filter.add("r.employee_email = $?", employee) }
        if let type = query.arrangementType { filter.add("r.arrangement_type = $?", type) }
        if let from { filter.add("r.start_date >= $?::date", from.description) }
        if let to { filter.add("r.start_date <= $?::date", to.description) }
        filter.after(cursor, table: "r", idType: "uuid")
        return filter
    }

    static func page(filter: SQLFilter, limit: Int, on connection: PostgresConnection) throws
        -> Components.Schemas.RequestPage
    {
        var filter = filter
        let limitClause = filter.limit(limit + 1)
        let rows = try connection.query(
            """
            SELECT \(RequestRecord.columns("r")) FROM requests r
            \(filter.whereClause) ORDER BY r.created_at DESC, r.id DESC \(limitClause)
            """, filter.parameters
        ).rows.map(RequestRecord.init(row:))
        let requests = Array(rows.prefix(limit))
        let open = try RequestStore.openSteps(of: requests.map(\.id), on: connection)
        let items = requests.map { request in
            Components.Schemas.RequestSummary(
                id: request.idText, status: SchemaMapping.status(request.status),
                policyVersion: Int32(request.policyVersion), arrangementType: request.input.arrangementType,
                employeeEmail: request.input.employee.email, employeeName: request.input.employee.name,
                department: request.input.employee.department, supervisorEmail: request.input.supervisorEmail,
                startDate: request.input.startDate.description, endDate: request.input.endDate?.description,
                openStep: open[request.id].map(SchemaMapping.step), createdAt: request.createdAt,
                updatedAt: request.updatedAt)
        }
        return .init(
            items: items,
            nextCursor: PageCursor.next(after: requests, fetched: rows.count, limit: limit) {
                ($0.createdAt, $0.idText)
            })
    }
}
