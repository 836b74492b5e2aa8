import Foundation
import Postgres
import Storage

/// One page of a tenant's compliance alerts, newest first.
enum AlertListing {
    static func page(filter: SQLFilter, limit: Int, on connection: PostgresConnection) throws -> Components.Schemas.AlertPage {
        var filter = filter
        let limitClause = filter.limit(limit + 1)
        let rows = try connection.query("""
            SELECT \(AlertRecord.columns("a")) FROM alerts a \(filter.whereClause) ORDER BY a.created_at DESC, a.id DESC \(limitClause)
            """, filter.parameters).rows.map(AlertRecord.init(row:))
        let page = Array(rows.prefix(limit))
        return .init(items: page.map(SchemaMapping.alert), nextCursor: PageCursor.next(after: page, fetched: rows.count, limit: limit) {
            ($0.createdAt, $0.id.uuidString.lowercased())
        })
    }
}

/// One page of a tenant's live delegations, newest first.
enum DelegationListing {
    static func page(filter: SQLFilter, limit: Int, on connection: PostgresConnection) throws -> Components.Schemas.DelegationPage {
        var filter = filter
        let limitClause = filter.limit(limit + 1)
        let rows = try connection.query("""
            SELECT \(DelegationRecord.columns("d")) FROM delegations d \(filter.whereClause)
             ORDER BY d.created_at DESC, d.id DESC \(limitClause)
            """, filter.parameters).rows.map(DelegationRecord.init(row:))
        let page = Array(rows.prefix(limit))
        return .init(items: page.map(SchemaMapping.delegation), nextCursor: PageCursor.next(after: page, fetched: rows.count, limit: limit) {
            ($0.createdAt, $0.id.uuidString.lowercased())
        })
    }
}
