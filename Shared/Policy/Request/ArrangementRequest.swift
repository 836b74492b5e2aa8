/// What an employee asks for.
public struct ArrangementRequest: Codable, Sendable, Equatable {
    /// Type id from the tenant file (`hybrid`).
    public var arrangementType: String
    /// The employee.
    public var employee: Employee
    /// The supervisor named on the request (holder of the `supervisor` role).
    public var supervisorEmail: String
    /// Remote days per week, for remote types.
    public var remoteDaysPerWeek: Int?
    /// The proposed schedule, free text.
    public var schedule: String?
    /// Where the employee would work.
    public var location: WorkLocation?
    /// First day.
    public var startDate: CivilDate
    /// Last day (open-ended when absent).
    public var endDate: CivilDate?
    /// Day the request was submitted (tenant's local date).
    public var submittedOn: CivilDate
    /// Why the employee asks.
    public var justification: String?
    /// Attestations made (`no_dependent_care: true`).
    public var attestations: [String: Bool]
    /// Extra fields (`alternate_location_conducive`, `meal_break_minutes`…).
    public var fields: [String: String]
    /// Use already made this year.
    public var priorUsage: PriorUsage?
    /// The request is made in an emergency.
    public var isEmergency: Bool?
    /// Other arrangement types it would be combined with.
    public var combinedWith: [String]?

    /// A request; optional parts can be set afterwards.
    public init(
        arrangementType: String, employee: Employee, supervisorEmail: String,
        startDate: CivilDate, submittedOn: CivilDate
    ) {
        self.arrangementType = arrangementType
        self.employee = employee
        self.supervisorEmail = supervisorEmail
        self.startDate = startDate
        self.submittedOn = submittedOn
        self.attestations = [:]
        self.fields = [:]
    }

    enum CodingKeys: String, CodingKey {
        case arrangementType = "arrangement_type"
        case employee
        case supervisorEmail = "supervisor_email"
        case remoteDaysPerWeek = "remote_days_per_week"
        case schedule, location
        case startDate = "start_date"
        case endDate = "end_date"
        case submittedOn = "submitted_on"
        case justification, attestations, fields
        case priorUsage = "prior_usage"
        case isEmergency = "is_emergency"
        case combinedWith = "combined_with"
    }

    /// Decodes; `attestations` and `fields` default to empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        arrangementType = try c.decode(String.self, forKey: .arrangementType)
        employee = try c.decode(Employee.self, forKey: .employee)
        supervisorEmail = try c.decode(String.self, forKey: .supervisorEmail)
        remoteDaysPerWeek = try c.decodeIfPresent(Int.self, forKey: .remoteDaysPerWeek)
        schedule = try c.decodeIfPresent(String.self, forKey: .schedule)
        location = try c.decodeIfPresent(WorkLocation.self, forKey: .location)
        startDate = try c.decode(CivilDate.self, forKey: .startDate)
        endDate = try c.decodeIfPresent(CivilDate.self, forKey: .endDate)
        submittedOn = try c.decode(CivilDate.self, forKey: .submittedOn)
        justification = try c.decodeIfPresent(String.self, forKey: .justification)
        attestations = try c.decodeIfPresent([String: Bool].self, forKey: .attestations) ?? [:]
        fields = try c.decodeIfPresent([String: String].self, forKey: .fields) ?? [:]
        priorUsage = try c.decodeIfPresent(PriorUsage.self, forKey: .priorUsage)
        isEmergency = try c.decodeIfPresent(Bool.self, forKey: .isEmergency)
        combinedWith = try c.decodeIfPresent([String].self, forKey: .combinedWith)
    }
}
