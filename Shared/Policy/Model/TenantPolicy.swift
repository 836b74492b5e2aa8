/// One tenant's whole flexible-work policy, as written in its YAML file (and stored as the
/// JSON form of that file: the keys are the same snake_case words).
///
/// Optional keys decode to `nil`; the engine applies the documented defaults.
public struct TenantPolicy: Codable, Sendable, Equatable {
    /// Tenant id (`mit`).
    public var id: String
    /// Institution name.
    public var name: String
    /// IANA time zone of the tenant's business days (`America/New_York`).
    public var timeZone: String
    /// Home jurisdiction: work elsewhere is "out of state" or international.
    public var home: HomeJurisdiction
    /// The policy document(s) this file encodes, for citations.
    public var source: String?
    /// Working days (default Monday–Friday).
    public var workWeek: [Weekday]?
    /// First day of the fiscal year (`07-01`); default January 1.
    public var fiscalYearStart: MonthDay?
    /// Core hours the employee must be available.
    public var coreHours: HoursWindow?
    /// Flextime bandwidth: earliest arrival to latest departure.
    public var bandwidth: HoursWindow?
    /// Hours of a full-time week (38.75, 40…).
    public var fullTimeHoursPerWeek: Double?
    /// Holidays, excluded from business days.
    public var holidays: [HolidayRule]?
    /// The employee classes the tenant uses (`classified`, `faculty`…), to catch typos.
    public var employeeClasses: [String]?
    /// Performance ratings from lowest to highest, for `lt`/`ge` on `employee.last_rating`.
    public var ratingScale: [RatingLevel]?
    /// Who holds each role.
    public var roles: [RoleDefinition]
    /// Default recipients per compliance alert kind.
    public var alertRoutes: [AlertRoute]?
    /// The approval chain, in order; steps with a `when` apply only when it holds.
    public var chain: [ApprovalStepDefinition]
    /// The same person may not approve two steps of one request.
    public var distinctApprovers: Bool?
    /// SLA of a step that does not state one (default 10 business days).
    public var defaultSlaBusinessDays: Int?
    /// Arrangement types offered.
    public var arrangementTypes: [ArrangementType]
    /// Types the policy expressly does not offer, with the clause that says so.
    public var notOffered: [UnavailableType]?
    /// Eligibility rules over the employee and the request.
    public var eligibility: [EligibilityRule]?
    /// Where employees may work and what work elsewhere triggers.
    public var location: LocationPolicy?
    /// How long before an expiry the renewal notice is due (default 30 calendar days).
    public var expiryNotice: Span?

    /// A policy with the required parts; set the optional ones as needed.
    public init(
        id: String, name: String, timeZone: String, home: HomeJurisdiction,
        roles: [RoleDefinition], chain: [ApprovalStepDefinition],
        arrangementTypes: [ArrangementType]
    ) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.home = home
        self.roles = roles
        self.chain = chain
        self.arrangementTypes = arrangementTypes
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case timeZone = "time_zone"
        case home, source
        case workWeek = "work_week"
        case fiscalYearStart = "fiscal_year_start"
        case coreHours = "core_hours"
        case bandwidth
        case fullTimeHoursPerWeek = "full_time_hours_per_week"
        case holidays
        case employeeClasses = "employee_classes"
        case ratingScale = "rating_scale"
        case roles
        case alertRoutes = "alert_routes"
        case chain
        case distinctApprovers = "distinct_approvers"
        case defaultSlaBusinessDays = "default_sla_business_days"
        case arrangementTypes = "arrangement_types"
        case notOffered = "not_offered"
        case eligibility, location
        case expiryNotice = "expiry_notice"
    }
}

/// One level of a performance rating scale, with the spellings that mean it.
public struct RatingLevel: Codable, Sendable, Equatable {
    /// The level (`meets_expectations`).
    public var id: String
    /// Other spellings of the same level (`satisfactory`).
    public var aliases: [String]?

}

/// An arrangement the policy names but does not offer (MA DOC: remote work).
public struct UnavailableType: Codable, Sendable, Equatable {
    /// Type id a request might use (`remote_work`).
    public var id: String
    /// Why it is refused.
    public var message: String
    /// The clause.
    public var source: String?

}
