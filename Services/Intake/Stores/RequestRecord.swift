import Foundation
import Policy
import Postgres

/// A row of `requests`, with its input and evaluation decoded.
struct RequestRecord: Sendable {
    var id: UUID
    var tenantID: String
    var policyVersion: Int
    var status: String
    var input: ArrangementRequest
    var evaluation: Evaluation
    var decisionReason: String?
    var effectiveEndDate: String?
    var createdAt: Date
    var updatedAt: Date

    static let columns = """
        id, tenant_id, policy_version, status, input::text AS input, evaluation::text AS evaluation,
        decision_reason, effective_end_date::text AS effective_end_date, created_at, updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        tenantID = try row.decode("tenant_id")
        policyVersion = try row.decode("policy_version")
        status = try row.decode("status")
        input = try row.decode("input", as: JSONText.self).decode(ArrangementRequest.self)
        evaluation = try row.decode("evaluation", as: JSONText.self).decode(Evaluation.self)
        decisionReason = try row.decodeIfPresent("decision_reason")
        effectiveEndDate = try row.decodeIfPresent("effective_end_date")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }

    /// The request, locked for update when `lock` (decisions, withdrawals); nil when it is not
    /// visible to the tenant in scope.
    static func find(_ id: UUID, lock: Bool = false, on connection: PostgresConnection) throws -> RequestRecord? {
        try connection.query("SELECT \(columns) FROM requests WHERE id = $1" + (lock ? " FOR UPDATE" : ""), id)
            .first.map(RequestRecord.init(row:))
    }

    /// Statuses in which the approval chain is still running.
    static let inApproval: Set<String> = ["submitted", "routing", "pending_approval"]
    /// Statuses in which the arrangement is granted.
    static let granted: Set<String> = ["approved", "active"]
}

/// A row of `request_steps`.
struct StepRecord: Sendable {
    var index: Int
    var stepID: String
    var role: String
    var approverEmail: String
    var actingApproverEmail: String?
    var status: String
    var dueDate: String?
    var delegable: Bool
    var delegableTo: [String]
    var addedBy: String?
    var openedAt: Date?
    var decidedAt: Date?
    var decision: String?
    var reason: String?

    static let columns = """
        idx, step_id, role, approver_email, acting_approver_email, status, due_date::text AS due_date, delegable,
        delegable_to, added_by, opened_at, decided_at, decision, reason
        """

    init(row: PostgresRow) throws {
        index = try row.decode("idx")
        stepID = try row.decode("step_id")
        role = try row.decode("role")
        approverEmail = try row.decode("approver_email")
        actingApproverEmail = try row.decodeIfPresent("acting_approver_email")
        status = try row.decode("status")
        dueDate = try row.decodeIfPresent("due_date")
        delegable = try row.decode("delegable")
        delegableTo = PostgresTextArray.parse(try row.decode("delegable_to", as: String.self))
        addedBy = try row.decodeIfPresent("added_by")
        openedAt = try row.decodeIfPresent("opened_at")
        decidedAt = try row.decodeIfPresent("decided_at")
        decision = try row.decodeIfPresent("decision")
        reason = try row.decodeIfPresent("reason")
    }

    /// The steps of a request, in chain order.
    static func all(of requestID: UUID, on connection: PostgresConnection) throws -> [StepRecord] {
        try connection.query("SELECT \(columns) FROM request_steps WHERE request_id = $1 ORDER BY idx", requestID)
            .rows.map(StepRecord.init(row:))
    }
}
