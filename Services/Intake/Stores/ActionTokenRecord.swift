import Foundation
import Postgres

/// A row of `action_tokens`, created by the notifier: one step, one person, one use.
struct ActionTokenRecord: Sendable {
    var id: UUID
    var tenantID: String
    var requestID: UUID
    var stepIndex: Int
    var approverEmail: String
    var expiresAt: Date
    var usedAt: Date?

    /// The token's row inside a tenant transaction (row-level security applies).
    static func find(_ id: UUID, on connection: PostgresConnection) throws -> ActionTokenRecord? {
        try connection.query("""
            SELECT id, tenant_id, request_id, step_idx, approver_email, expires_at, used_at FROM action_tokens WHERE id = $1
            """, id).first.map(record(row:))
    }

    /// The token's row before its tenant is known: the service's login reads no table, so this
    /// calls the SECURITY DEFINER lookup `fwa_action_token` (migration 0006).
    static func lookup(_ id: UUID, on connection: PostgresConnection) throws -> ActionTokenRecord? {
        try connection.query("""
            SELECT id, tenant_id, request_id, step_idx, approver_email, expires_at, used_at FROM fwa_action_token($1)
            """, id).first.map(record(row:))
    }

    private static func record(row: PostgresRow) throws -> ActionTokenRecord {
        ActionTokenRecord(
            id: try row.decode("id"), tenantID: try row.decode("tenant_id"), requestID: try row.decode("request_id"),
            stepIndex: try row.decode("step_idx"), approverEmail: EmailIdentity.lowercased(try row.decode("approver_email", as: String.self)),
            expiresAt: try row.decode("expires_at"), usedAt: try row.decodeIfPresent("used_at"))
    }

    /// `409 action-link-used` or `410 action-link-expired` when the link cannot act any more.
    func checkUsable(on connection: PostgresConnection) throws {
        guard let current = try Self.find(id, on: connection) else { throw APIProblem.notFound("The action link") }
        if current.usedAt != nil { throw APIProblem(.actionLinkUsed, "This link was already used; each link decides once.") }
        if current.expiresAt <= Date() { throw APIProblem(.actionLinkExpired, "This link expired at \(current.expiresAt); use the API or ask for a new link.") }
    }

    /// Marks the link used, in the transaction that records the decision.
    func consume(on connection: PostgresConnection) throws {
        try connection.query("SELECT 1 FROM action_tokens WHERE id = $1 FOR UPDATE", id)
        try checkUsable(on: connection)
        try connection.query("UPDATE action_tokens SET used_at = now() WHERE id = $1", id)
    }
}
