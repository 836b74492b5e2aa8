import Foundation
import Policy
import Postgres
import Workflow

/// The one place that reads and writes `requests` and `request_steps`, in the caller's
/// transaction, for every service. Reads wait for their rows; the workers' changes join the
/// connection's pipeline and go out with the transaction's next answered statement or its COMMIT
/// (their errors are thrown there). Commands with rules (`StepDecision`, `RequestEnding`,
/// `RequestSubmission`) build on these.
public enum RequestStore {
    /// The request, locked for this transaction (`FOR UPDATE`) when `lock`, or nil when it does not
    /// exist or is not visible to the tenant in scope.
    public static func find(_ id: UUID, lock: Bool = false, on connection: PostgresConnection) throws -> RequestRecord?
    {
        let sql =
            lock
            ? "SELECT \(RequestRecord.columns()) FROM requests WHERE id = $1 FOR UPDATE"
            : "SELECT \(RequestRecord.columns()) FROM requests WHERE id = $1"
        return try connection.query(prepared: sql, id).first.map(RequestRecord.init(row:))
    }

    /// The steps of a request in chain order.
    public static func steps(of id: UUID, on connection: PostgresConnection) throws -> [StepRecord] {
        try connection.query(
            prepared: "SELECT \(StepRecord.columns) FROM request_steps WHERE request_id = $1 ORDER BY idx", id
        )
        .rows.map(StepRecord.init(row:))
    }

    /// The open step of each request that has one.
    public static func openSteps(of ids: [UUID], on connection: PostgresConnection) throws -> [UUID: StepRecord] {
        guard !ids.isEmpty else { return [:] }
        var steps: [UUID: StepRecord] = [:]
        for row in try connection.query(
            """
            SELECT request_id, \(StepRecord.columns) FROM request_steps WHERE request_id = ANY($1::uuid[]) AND status = 'open'
            """, ids
        ).rows {
            steps[try row.decode("request_id", as: UUID.self)] = try StepRecord(row: row)
        }
        return steps
    }

    /// Requests in one of `statuses`, oldest first, with their tenant (for sweeps).
    public static func ids(in statuses: Set<RequestStatus>, on connection: PostgresConnection) throws -> [(
        id: UUID, tenantID: String
    )] {
        let names = statuses.map(\.rawValue).sorted()
        return try connection.query(
            "SELECT id, tenant_id FROM requests WHERE status = ANY($1::text[]) ORDER BY created_at", names
        )
        .rows.map { (try $0.decode("id"), try $0.decode("tenant_id")) }
    }

    /// Sets the status (and the decision reason, when given).
    public static func setStatus(
        _ id: UUID, to status: RequestStatus, reason: String? = nil, on connection: PostgresConnection
    ) {
        connection.pipeline(
            prepared: """
                UPDATE requests SET status = $2, decision_reason = coalesce($3, decision_reason), updated_at = now() WHERE id = $1
                """, id, status, reason)
    }

    /// Opens a pending step with its due date.
    public static func openStep(_ id: UUID, index: Int, dueDate: CivilDate, on connection: PostgresConnection) {
        connection.pipeline(
            prepared: """
                UPDATE request_steps SET status = 'open', opened_at = now(), due_date = $3
                 WHERE request_id = $1 AND idx = $2 AND status = 'pending'
                """, id, index, dueDate)
    }

    /// Cancels every step that is still pending or open.
    public static func cancelUndecidedSteps(_ id: UUID, on connection: PostgresConnection) {
        connection.pipeline(
            prepared: """
                UPDATE request_steps SET status = 'cancelled' WHERE request_id = $1 AND status IN ('pending', 'open')
                """, id)
    }

    /// Marks a pending step skipped (its condition no longer holds).
    public static func skipStep(_ id: UUID, index: Int, on connection: PostgresConnection) {
        connection.pipeline(
            prepared: """
                UPDATE request_steps SET status = 'skipped' WHERE request_id = $1 AND idx = $2 AND status = 'pending'
                """, id, index)
    }
}
