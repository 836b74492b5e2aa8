import Foundation
import Policy

/// A stored arrangement request (a row of `requests`, its input and evaluation decoded), as every
/// service sees it. `Storage` reads it; the intake shows it; the approval flow reasons on it.
public struct RequestRecord: Sendable, Equatable {
    public var id: UUID
    public var tenantID: String
    public var policyVersion: Int
    public var status: RequestStatus
    public var input: ArrangementRequest
    public var evaluation: Evaluation
    public var decisionReason: String?
    /// The date a withdrawal or termination takes effect.
    public var effectiveEndDate: CivilDate?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, tenantID: String, policyVersion: Int, status: RequestStatus, input: ArrangementRequest,
        evaluation: Evaluation, decisionReason: String? = nil, effectiveEndDate: CivilDate? = nil,
        createdAt: Date = Date(timeIntervalSince1970: 0), updatedAt: Date = Date(timeIntervalSince1970: 0)
    ) {
        self.id = id
        self.tenantID = tenantID
        self.policyVersion = policyVersion
        self.status = status
        self.input = input
        self.evaluation = evaluation
        self.decisionReason = decisionReason
        self.effectiveEndDate = effectiveEndDate
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The request's id as PostgreSQL prints it (lowercase).
    public var idText: String { id.uuidString.lowercased() }

    /// The employee, as someone to tell.
    public var employee: Recipient { Recipient(role: "employee", email: input.employee.email) }
    /// The supervisor named on the request, as someone to tell.
    public var supervisor: Recipient { Recipient(role: "supervisor", email: input.supervisorEmail) }

    /// The template variables every message about this request carries.
    public var notificationData: [String: String] {
        [
            "request_id": idText, "employee_name": input.employee.name, "employee_email": input.employee.email,
            "arrangement_type": input.arrangementType, "start_date": "\(input.startDate)",
            "end_date": input.endDate.map { "\($0)" } ?? "",
        ]
    }
}

/// One step of a request's approval chain (a row of `request_steps`).
public struct StepRecord: Sendable, Equatable {
    public var index: Int
    public var stepID: String
    public var role: String
    public var approverEmail: String
    /// Who decided instead of the approver, under a delegation.
    public var actingApproverEmail: String?
    public var status: StepStatus
    public var slaBusinessDays: Int?
    public var dueDate: CivilDate?
    public var escalationRole: String?
    public var escalationEmail: String?
    public var delegable: Bool
    public var delegableTo: [String]
    /// The rule that added the step (nil for the tenant's own chain).
    public var addedBy: String?
    public var openedAt: Date?
    public var decidedAt: Date?
    public var decision: Decision?
    public var reason: String?

    public init(
        index: Int, stepID: String, role: String, approverEmail: String, actingApproverEmail: String? = nil,
        status: StepStatus, slaBusinessDays: Int? = nil, dueDate: CivilDate? = nil, escalationRole: String? = nil,
        escalationEmail: String? = nil, delegable: Bool = false, delegableTo: [String] = [], addedBy: String? = nil,
        openedAt: Date? = nil, decidedAt: Date? = nil, decision: Decision? = nil, reason: String? = nil
    ) {
        self.index = index
        self.stepID = stepID
        self.role = role
        self.approverEmail = approverEmail
        self.actingApproverEmail = actingApproverEmail
        self.status = status
        self.slaBusinessDays = slaBusinessDays
        self.dueDate = dueDate
        self.escalationRole = escalationRole
        self.escalationEmail = escalationEmail
        self.delegable = delegable
        self.delegableTo = delegableTo
        self.addedBy = addedBy
        self.openedAt = openedAt
        self.decidedAt = decidedAt
        self.decision = decision
        self.reason = reason
    }

    /// Who decided the step: the delegate who acted, else the approver.
    public var decidedBy: String { actingApproverEmail ?? approverEmail }
}
