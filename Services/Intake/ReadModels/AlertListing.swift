import Foundation
import Policy
import Postgres
import Storage

/// One page of a tenant's compliance alerts, newest first.
enum AlertListing {
    /// The WHERE clause of the listing's query parameters (already validated).
    static func filter(_ query: Operations.ListAlerts.Input.Query, cursor: PageCursor?) -> SQLFilter {
        var filter = SQLFilter()
        if let status = query.status { filter.add("a.status = $?", status.rawValue) }
        if let kind = query.kind { filter.add("a.kind = $?", kind) }
        if let region = query.region {
            filter.add(
                region.contains("-")
                    ? "a.jurisdiction = $?" : "(a.jurisdiction = $? OR a.jurisdiction LIKE $? || '-%')", region)
        }
        filter.after(cursor, table: "a", idType: "uuid")
        return filter
    }

    static func page(filter: SQLFilter, limit: Int, on connection: PostgresConnection) throws
        -> Components.Schemas.AlertPage
    {
        var filter = filter
        let limitClause = filter.limit(limit + 1)
        let rows = try connection.query(
            """
            SELECT \(AlertRecord.columns("a")) FROM alerts a \(filter.whereClause) ORDER BY a.created_at DESC, a.id DESC \(limitClause)
            """, filter.parameters
        ).rows.map(AlertRecord.init(row:))
        let page = Array(rows.prefix(limit))
        return .init(
            items: page.map(SchemaMapping.alert),
            nextCursor: PageCursor.next(after: page, fetched: rows.count, limit: limit) {
                ($0.createdAt, $0.id.uuidString.lowercased())
            })
    }
}

/// One page of a tenant's live delegations, newest first.
enum DelegationListing {
    /// The WHERE clause of the listing's query parameters (already validated).
    static func filter(
        _ query: Operations.ListDelegations.Input.Query, tenant: String, day: CivilDate?, cursor: PageCursor?
    )
        -> SQLFilter
    {
        var filter = SQLFilter()
        filter.add("d.revoked_at IS NULL AND d.tenant_id = $?", tenant)
        if let delegator = query.delegator.map(EmailIdentity.lowercased) {
            filter.add("d.delegator_email = $?", delegator)
        }
        if let delegate = query.delegate.map(EmailIdentity.lowercased) { filter.add("d.delegate_email = $?", delegate) }
        if let day { filter.add("$?::date BETWEEN d.valid_from AND d.valid_to", day.description) }
        filter.after(cursor, table: "d", idType: "uuid")
        return filter
    }

    static func page(filter: SQLFilter, limit: Int, on connection: PostgresConnection) throws
        -> Components.Schemas.DelegationPage
    {
        var filter = filter
        let limitClause = filter.limit(limit + 1)
        let rows = try connection.query(
            """
            SELECT \(DelegationRecord.columns("d")) FROM delegations d \(filter.whereClause)
             ORDER BY d.created_at DESC, d.id DESC \(limitClause)
            """, filter.parameters
        ).rows.map(DelegationRecord.init(row:))
        let page = Array(rows.prefix(limit))
        return .init(
            items: page.map(SchemaMapping.delegation),
            nextCursor: PageCursor.next(after: page, fetched: rows.count, limit: limit) {
                ($0.createdAt, $0.id.uuidString.lowercased())
            })
    }
}
