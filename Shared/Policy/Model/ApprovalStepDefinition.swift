/// One step of a tenant's approval chain (or a step a rule adds).
public struct ApprovalStepDefinition: Codable, Sendable, Equatable {
    /// Step id, unique in the chain (`department_head`).
    public var id: String
    /// Role key of the approver (`supervisor` is the supervisor named on the request).
    public var role: String
    /// The step applies only when this holds.
    public var when: Condition?
    /// Business days the approver has (default: the tenant's `default_sla_business_days`).
    public var slaBusinessDays: Int?
    /// Who is escalated to when the SLA passes (default: the role's `escalates_to`).
    public var escalationRole: String?
    /// Whether the approver may delegate the step.
    public var delegable: Bool?
    /// Roles the step may be delegated to (any designee when `delegable` and empty).
    public var delegateRoles: [String]?
    /// For an added step: insert before this step id (default: at the end).
    public var before: String?
    /// For an added step: insert after this step id.
    public var after: String?
    /// The clause.
    public var source: String?

    /// A step with an id and a role.
    public init(
        id: String, role: String, when: Condition? = nil, slaBusinessDays: Int? = nil,
        escalationRole: String? = nil, delegable: Bool? = nil, delegateRoles: [String]? = nil,
        before: String? = nil, after: String? = nil, source: String? = nil
    ) {
        self.id = id
        self.role = role
        self.when = when
        self.slaBusinessDays = slaBusinessDays
        self.escalationRole = escalationRole
        self.delegable = delegable
        self.delegateRoles = delegateRoles
        self.before = before
        self.after = after
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case id, role, when
        case slaBusinessDays = "sla_business_days"
        case escalationRole = "escalation_role"
        case delegable
        case delegateRoles = "delegate_roles"
        case before, after, source
    }
}
