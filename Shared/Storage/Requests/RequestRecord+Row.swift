import Foundation
import Policy
import Postgres
import Workflow

// Stored as their raw values, decoded strictly.
extension RequestStatus: PostgresTextEnum {}
extension StepStatus: PostgresTextEnum {}
extension Decision: PostgresTextEnum {}
extension AlertStatus: PostgresTextEnum {}
extension DeliveryStatus: PostgresTextEnum {}

extension RequestRecord {
    /// The columns `init(row:)` reads, of `requests` under `alias` ("" for none).
    public static func columns(_ alias: String = "") -> String {
        let prefix = alias.isEmpty ? "" : alias + "."
        return [
            "id", "tenant_id", "policy_version", "status", "input::text AS input", "evaluation::text AS evaluation",
            "decision_reason", "effective_end_date", "created_at", "updated_at",
        ]
        .map { prefix + $0 }.joined(separator: ", ")
    }

    /// A row of `columns(_:)`.
    public init(row: PostgresRow) throws {
        self.init(
            id: try row.decode("id"), tenantID: try row.decode("tenant_id"),
            policyVersion: try row.decode("policy_version"),
            status: try row.decode("status"),
            input: try row.decode("input", as: JSONText.self).decode(ArrangementRequest.self),
            evaluation: try row.decode("evaluation", as: JSONText.self).decode(Evaluation.self),
            decisionReason: try row.decodeIfPresent("decision_reason"),
            effectiveEndDate: try row.decodeIfPresent("effective_end_date"),
            createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"))
    }
}

extension StepRecord {
    /// The columns `init(row:)` reads, of `request_steps`.
    public static let columns = """
        idx, step_id, role, approver_email, acting_approver_email, status, sla_business_days, due_date,
        escalation_role, escalation_email, delegable, delegable_to, added_by, opened_at, decided_at, decision, reason
        """

    /// A row of `columns`.
    public init(row: PostgresRow) throws {
        self.init(
            index: try row.decode("idx"), stepID: try row.decode("step_id"), role: try row.decode("role"),
            approverEmail: try row.decode("approver_email"),
            actingApproverEmail: try row.decodeIfPresent("acting_approver_email"),
            status: try row.decode("status"), slaBusinessDays: try row.decodeIfPresent("sla_business_days"),
            dueDate: try row.decodeIfPresent("due_date"), escalationRole: try row.decodeIfPresent("escalation_role"),
            escalationEmail: try row.decodeIfPresent("escalation_email"), delegable: try row.decode("delegable"),
            delegableTo: PostgresTextArray.parse(try row.decode("delegable_to", as: String.self)),
            addedBy: try row.decodeIfPresent("added_by"), openedAt: try row.decodeIfPresent("opened_at"),
            decidedAt: try row.decodeIfPresent("decided_at"), decision: try row.decodeIfPresent("decision"),
            reason: try row.decodeIfPresent("reason"))
    }
}
