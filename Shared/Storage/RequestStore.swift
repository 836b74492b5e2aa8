import Foundation
import Policy
import Postgres

/// Reads and changes requests and their steps, in the caller's transaction (workers' side).
/// Reads wait for their rows; changes join the connection's pipeline and go out with the
/// transaction's next answered statement or its COMMIT (their errors are thrown there).
public enum RequestStore {
    static let columns = "id, tenant_id, policy_version, status, input::text AS input, evaluation::text AS evaluation, effective_end_date, decision_reason"
    static let stepColumns = """
        idx, step_id, role, approver_email, acting_approver_email, status, sla_business_days, due_date,
        escalation_role, escalation_email, decision, reason
        """

    /// The request, locked for this transaction (`FOR UPDATE`), or nil.
    public static func lock(_ id: UUID, on connection: PostgresConnection) throws -> RequestRecord? {
        try connection.query(prepared: "SELECT \(columns) FROM requests WHERE id = $1 FOR UPDATE", id).first.map(RequestRecord.init(row:))
    }

    /// The request without a lock, or nil.
    public static func find(_ id: UUID, on connection: PostgresConnection) throws -> RequestRecord? {
        try connection.query(prepared: "SELECT \(columns) FROM requests WHERE id = $1", id).first.map(RequestRecord.init(row:))
    }

    /// The steps of a request in chain order.
    public static func steps(of id: UUID, on connection: PostgresConnection) throws -> [StepRecord] {
        try connection.query(prepared: "SELECT \(stepColumns) FROM request_steps WHERE request_id = $1 ORDER BY idx", id).rows.map(StepRecord.init(row:))
    }

    public static func setStatus(_ id: UUID, to status: String, reason: String? = nil, on connection: PostgresConnection) {
        connection.pipeline(prepared: """
            UPDATE requests SET status = $2, decision_reason = coalesce($3, decision_reason), updated_at = now() WHERE id = $1
            """, id, status, reason)
    }

    /// Opens a pending step with its due date.
    public static func openStep(_ id: UUID, index: Int, dueDate: CivilDate, on connection: PostgresConnection) {
        connection.pipeline(prepared: """
            UPDATE request_steps SET status = 'open', opened_at = now(), due_date = $3
             WHERE request_id = $1 AND idx = $2 AND status = 'pending'
            """, id, index, dueDate)
    }

    /// Cancels every step that is still pending or open.
    public static func cancelUndecidedSteps(_ id: UUID, on connection: PostgresConnection) {
        connection.pipeline(prepared: "UPDATE request_steps SET status = 'cancelled' WHERE request_id = $1 AND status IN ('pending', 'open')", id)
    }

    /// Marks a pending step skipped (its condition no longer holds).
    public static func skipStep(_ id: UUID, index: Int, on connection: PostgresConnection) {
        connection.pipeline(prepared: "UPDATE request_steps SET status = 'skipped' WHERE request_id = $1 AND idx = $2 AND status = 'pending'", id, index)
    }

    /// Requests of a tenant in a status (for sweeps).
    public static func ids(status: [String], on connection: PostgresConnection) throws -> [UUID] {
        try connection.query("SELECT id FROM requests WHERE status = ANY($1::text[]) ORDER BY created_at", status).rows.map { try $0.decode("id") }
    }
}
