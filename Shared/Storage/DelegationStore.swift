import Foundation
import Policy
import Postgres

/// A row of `delegations`: an approver hands a role to someone for a date range.
public struct DelegationRecord: Sendable, Equatable {
    public var id: UUID
    public var role: String
    public var delegatorEmail: String
    public var delegateEmail: String
    public var department: String?
    public var from: CivilDate
    public var to: CivilDate
    public var createdAt: Date
    public var revokedAt: Date?

    /// The columns `init(row:)` reads, of `delegations` under `alias` ("" for none).
    public static func columns(_ alias: String = "") -> String {
        let prefix = alias.isEmpty ? "" : alias + "."
        return [
            "id", "role", "delegator_email", "delegate_email", "department", "valid_from", "valid_to", "created_at",
            "revoked_at",
        ].map { prefix + $0 }.joined(separator: ", ")
    }

    public init(row: PostgresRow) throws {
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
}

/// The one place that reads and writes `delegations`, in the caller's transaction.
public enum DelegationStore {
    /// Whether `delegate` holds `role` from `delegator` on `day` (a live delegation).
    public static func holds(
        delegate: String, role: String, delegator: String, on day: CivilDate,
        on connection: PostgresConnection
    ) throws -> Bool {
        try connection.query(
            """
            SELECT 1 FROM delegations
             WHERE role = $1 AND delegator_email = $2 AND delegate_email = $3 AND revoked_at IS NULL
               AND $4::date BETWEEN valid_from AND valid_to
             LIMIT 1
            """, role, delegator, delegate, day.description
        ).first != nil
    }

    public static func insert(
        tenantID: String, role: String, delegator: String, delegate: String, department: String?,
        from: CivilDate, to: CivilDate, on connection: PostgresConnection
    ) throws -> DelegationRecord {
        let row = try connection.query(
            """
            INSERT INTO delegations (id, tenant_id, role, delegator_email, delegate_email, department, valid_from, valid_to)
            VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8::date) RETURNING \(DelegationRecord.columns())
            """, [UUID(), tenantID, role, delegator, delegate, department, from.description, to.description]
        ).first
        guard let row else { throw PostgresError(kind: .server, message: "INSERT … RETURNING returned no row") }
        return try DelegationRecord(row: row)
    }

    /// The delegation, locked for this transaction, or nil.
    public static func lock(_ id: UUID, on connection: PostgresConnection) throws -> DelegationRecord? {
        try connection.query("SELECT \(DelegationRecord.columns()) FROM delegations WHERE id = $1 FOR UPDATE", id)
            .first.map(DelegationRecord.init(row:))
    }

    /// Ends a delegation now.
    public static func revoke(_ id: UUID, on connection: PostgresConnection) throws {
        try connection.query("UPDATE delegations SET revoked_at = now() WHERE id = $1", id)
    }
}
