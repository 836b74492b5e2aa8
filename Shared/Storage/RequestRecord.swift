import Foundation
import Policy
import Postgres

/// A stored arrangement request, as the workers see it.
public struct RequestRecord: Sendable {
    public let id: UUID
    public let tenantID: String
    public let policyVersion: Int
    public let status: String
    public let input: ArrangementRequest
    public let evaluation: Evaluation
    public let effectiveEndDate: CivilDate?
    public let decisionReason: String?

    /// True once the request can no longer change (denied, withdrawn, terminated, expired, rejected).
    public var isClosed: Bool { ["denied", "withdrawn", "terminated", "expired", "rejected"].contains(status) }

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        tenantID = try row.decode("tenant_id")
        policyVersion = try row.decode("policy_version")
        status = try row.decode("status")
        input = try row.decode("input", as: JSONText.self).decode(ArrangementRequest.self)
        evaluation = try row.decode("evaluation", as: JSONText.self).decode(Evaluation.self)
        effectiveEndDate = try row.decodeIfPresent("effective_end_date")
        decisionReason = try row.decodeIfPresent("decision_reason")
    }
}

/// One step of a request's approval chain.
public struct StepRecord: Sendable {
    public let index: Int
    public let stepID: String
    public let role: String
    public let approverEmail: String
    public let actingApproverEmail: String?
    public let status: String
    public let slaBusinessDays: Int?
    public let dueDate: CivilDate?
    public let escalationRole: String?
    public let escalationEmail: String?
    public let decision: String?
    public let reason: String?

    init(row: PostgresRow) throws {
        index = try row.decode("idx")
        stepID = try row.decode("step_id")
        role = try row.decode("role")
        approverEmail = try row.decode("approver_email")
        actingApproverEmail = try row.decodeIfPresent("acting_approver_email")
        status = try row.decode("status")
        slaBusinessDays = try row.decodeIfPresent("sla_business_days")
        dueDate = try row.decodeIfPresent("due_date")
        escalationRole = try row.decodeIfPresent("escalation_role")
        escalationEmail = try row.decodeIfPresent("escalation_email")
        decision = try row.decodeIfPresent("decision")
        reason = try row.decodeIfPresent("reason")
    }
}
