import Foundation
import Policy
import Postgres
import Workflow

/// A row of `action_tokens`: the approve/deny link of one approver's email, for one step, one use.
public struct ActionTokenRecord: Sendable, Equatable {
    public var id: UUID
    public var tenantID: String
    public var requestID: UUID
    public var stepIndex: Int
    public var approverEmail: String
    public var expiresAt: Date
    public var usedAt: Date?

    static let columns = "id, tenant_id, request_id, step_idx, approver_email, expires_at, used_at"

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        tenantID = try row.decode("tenant_id")
        requestID = try row.decode("request_id")
        stepIndex = try row.decode("step_idx")
        approverEmail = PolicyEngine.identity(try row.decode("approver_email", as: String.self))
        expiresAt = try row.decode("expires_at")
        usedAt = try row.decodeIfPresent("used_at")
    }
}

/// The one place that reads and writes `action_tokens`: the notifier creates a token with the
/// email that carries it, the intake checks and uses it when the link is followed.
public enum ActionTokenStore {
    /// Creates the token of an approver's email, valid for `ttl` (in the connection's pipeline);
    /// returns its id.
    public static func create(
        tenantID: String, requestID: UUID, action: StepAction, ttl: Duration,
        on connection: PostgresConnection
    ) -> UUID {
        let token = UUID()
        connection.pipeline(
            prepared: """
                INSERT INTO action_tokens (id, tenant_id, request_id, step_idx, approver_email, expires_at)
                VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::float8))
                """, token, tenantID, requestID, action.stepIndex, PolicyEngine.identity(action.approverEmail),
            ttl.inSeconds)
        return token
    }

    /// The token before its tenant is known: the intake's login reads no table, so this calls the
    /// SECURITY DEFINER lookup `fwa_action_token` (migration 0006).
    public static func lookup(_ id: UUID, on connection: PostgresConnection) throws -> ActionTokenRecord? {
        try connection.query("SELECT \(ActionTokenRecord.columns) FROM fwa_action_token($1)", id).first.map(
            ActionTokenRecord.init(row:))
    }

    /// Refuses a token that was used or has expired (read inside the tenant's transaction).
    public static func checkUsable(_ id: UUID, now: Date = Date(), on connection: PostgresConnection) throws {
        guard
            let current = try connection.query(
                "SELECT \(ActionTokenRecord.columns) FROM action_tokens WHERE id = $1", id
            )
            .first.map(ActionTokenRecord.init(row:))
        else { throw WorkflowError.notFound("The action link") }
        if current.usedAt != nil {
            throw WorkflowError.actionLinkUsed("This link was already used; each link decides once.")
        }
        if current.expiresAt <= now {
            throw WorkflowError.actionLinkExpired(
                "This link expired at \(current.expiresAt); use the API or ask for a new link.")
        }
    }

    /// Marks the token used, in the transaction that records the decision.
    public static func consume(_ id: UUID, on connection: PostgresConnection) throws {
        try connection.query("SELECT 1 FROM action_tokens WHERE id = $1 FOR UPDATE", id)
        try checkUsable(id, on: connection)
        try connection.query("UPDATE action_tokens SET used_at = now() WHERE id = $1", id)
    }
}
