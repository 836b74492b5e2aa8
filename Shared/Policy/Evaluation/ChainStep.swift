/// One step of a resolved approval chain.
public struct ChainStep: Codable, Sendable, Equatable {
    /// Position (0-based).
    public var index: Int
    /// Step id from the tenant file.
    public var stepId: String
    /// Approver's role key.
    public var role: String
    /// Approver's email (from the role directory; the supervisor from the request).
    public var approverEmail: String?
    /// Business days the approver has.
    public var slaBusinessDays: Int
    /// Projected due date: each step assumed to open when the one before is due.
    public var dueDate: CivilDate
    /// Role escalated to after the SLA.
    public var escalationRole: String?
    /// Its holder's email.
    public var escalationEmail: String?
    /// May the approver delegate.
    public var delegable: Bool
    /// Roles it may be delegated to (any designee when empty and delegable).
    public var delegableTo: [String]
    /// Rule id that added the step (`nil` for the tenant's own chain).
    public var addedBy: String?
    /// The clause.
    public var citation: String?

    enum CodingKeys: String, CodingKey {
        case index
        case stepId = "step_id"
        case role
        case approverEmail = "approver_email"
        case slaBusinessDays = "sla_business_days"
        case dueDate = "due_date"
        case escalationRole = "escalation_role"
        case escalationEmail = "escalation_email"
        case delegable
        case delegableTo = "delegable_to"
        case addedBy = "added_by"
        case citation
    }
}
