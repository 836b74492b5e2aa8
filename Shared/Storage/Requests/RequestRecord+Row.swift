import Foundation
import Policy
import Postgres
import Workflow

extension RequestStatus: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { rawValue }
    /// Strict: a status this build does not know is an error, not a default.
    public static func decode(postgresText: String) -> RequestStatus? { RequestStatus(rawValue: postgresText) }
}

extension StepStatus: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { rawValue }
    public static func decode(postgresText: String) -> StepStatus? { StepStatus(rawValue: postgresText) }
}

extension Decision: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { rawValue }
    public static func decode(postgresText: String) -> Decision? { Decision(rawValue: postgresText) }
}

extension AlertStatus: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { rawValue }
    public static func decode(postgresText: String) -> AlertStatus? { AlertStatus(rawValue: postgresText) }
}

extension DeliveryStatus: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { rawValue }
    public static func decode(postgresText: String) -> DeliveryStatus? { DeliveryStatus(rawValue: postgresText) }
}

extension RequestRecord {
    /// The columns `init(row:)` reads, of `requests` under `alias` ("" for none).
    public static func columns(_ alias: String = "") -> String {
        let prefix = alias.isEmpty ? "" : alias + "."
        return ["id", "tenant_id", "policy_version", "status", "input::text AS input", "evaluation::text AS evaluation",
                "decision_reason", "effective_end_date", "created_at", "updated_at"]
            .map { prefix + $0 }.joined(separator: ", ")
    }

    /// A row of `columns(_:)`.
    public init(row: PostgresRow) throws {
        self.init(
            id: try row.decode("id"), tenantID: try row.decode("tenant_id"), policyVersion: try row.decode("policy_version"),
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
            approverEmail: try row.decode("approver_email"), actingApproverEmail: try row.decodeIfPresent("acting_approver_email"),
            status: try row.decode("status"), slaBusinessDays: try row.decodeIfPresent("sla_business_days"),
            dueDate: try row.decodeIfPresent("due_date"), escalationRole: try row.decodeIfPresent("escalation_role"),
            escalationEmail: try row.decodeIfPresent("escalation_email"), delegable: try row.decode("delegable"),
            delegableTo: PostgresTextArray.parse(try row.decode("delegable_to", as: String.self)),
            addedBy: try row.decodeIfPresent("added_by"), openedAt: try row.decodeIfPresent("opened_at"),
            decidedAt: try row.decodeIfPresent("decided_at"), decision: try row.decodeIfPresent("decision"),
            reason: try row.decodeIfPresent("reason"))
    }
}
