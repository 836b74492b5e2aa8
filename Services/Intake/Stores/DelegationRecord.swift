import Foundation
import Policy
import Postgres

/// A row of `delegations`: an approver hands a role to someone for a date range.
struct DelegationRecord: Sendable {
    var id: UUID
    var role: String
    var delegatorEmail: String
    var delegateEmail: String
    var department: String?
    var from: String
    var to: String
    var createdAt: Date
    var revokedAt: Date?

    static let columns = """
        id, role, delegator_email, delegate_email, department, valid_from::text AS valid_from, valid_to::text AS valid_to,
        created_at, revoked_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        role = try row.decode("role")
        delegatorEmail = try row.decode("delegator_email")
        delegateEmail = try row.decode("delegate_email")
        department = try row.decodeIfPresent("department")
        from = try row.decode("valid_from")
        to = try row.decode("valid_to")
        createdAt = try row.decode("created_at")
        revokedAt = try row.decodeIfPresent("revoked_at")
    }

    var schema: Components.Schemas.Delegation {
        .init(id: id.uuidString.lowercased(), role: role, delegatorEmail: delegatorEmail, delegateEmail: delegateEmail,
              from: from, to: to, department: department, createdAt: createdAt)
    }

    /// Whether `delegate` holds `role` from `delegator` on `day` (a live delegation).
    static func holds(delegate: String, role: String, delegator: String, on day: CivilDate,
                      on connection: PostgresConnection) throws -> Bool {
        try connection.query("""
            SELECT 1 FROM delegations
             WHERE role = $1 AND delegator_email = $2 AND delegate_email = $3 AND revoked_at IS NULL
               AND $4::date BETWEEN valid_from AND valid_to
             LIMIT 1
            """, role, delegator, delegate, day.description).first != nil
    }

    static func insert(tenantID: String, role: String, delegator: String, delegate: String, department: String?,
                       from: CivilDate, to: CivilDate, on connection: PostgresConnection) throws -> DelegationRecord {
        try connection.query("""
            INSERT INTO delegations (id, tenant_id, role, delegator_email, delegate_email, department, valid_from, valid_to)
            VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8::date) RETURNING \(columns)
            """, [UUID(), tenantID, role, delegator, delegate, department, from.description, to.description])
            .first.map(DelegationRecord.init(row:))!
    }
}
