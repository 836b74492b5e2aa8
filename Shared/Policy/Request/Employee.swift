/// The employee a request is for, with the attributes eligibility rules look at.
/// Absent attributes make comparisons on them false (`ne`/`not_in` true).
public struct Employee: Codable, Sendable, Equatable {
    /// Work email.
    public var email: String
    /// Full name.
    public var name: String
    /// Department key, used to find role holders.
    public var department: String
    /// Tenant-defined class (`classified`, `administrative_faculty`, `staff`…).
    public var employeeClass: String
    /// Exempt from FLSA overtime.
    public var exempt: Bool?
    /// Bargaining unit (`4`).
    public var bargainingUnit: String?
    /// Official job title.
    public var jobTitle: String?
    /// Months employed by the institution.
    public var monthsEmployed: Int?
    /// Most recent performance rating (a `rating_scale` level or alias).
    public var lastRating: String?
    /// Months since that rating.
    public var monthsSinceLastRating: Int?
    /// A performance action is pending.
    public var pendingPerformanceAction: Bool?
    /// Months since the last disciplinary action.
    public var monthsSinceLastDiscipline: Int?
    /// Covered by a collective bargaining agreement.
    public var coveredByCollectiveAgreement: Bool?
    /// The employee occupies the position (univ-f400 notice).
    public var positionOccupied: Bool?
    /// Enrolled in the institution's health plans (MIT benefits alert).
    public var participatesInHealthPlan: Bool?
    /// Full-time hours of the employee's title (37.5, 40…).
    public var standardWeeklyHours: Double?
    /// The title is on 24-hour shift coverage (MA DOC).
    public var twentyFourHourShift: Bool?

    /// An employee with the required attributes.
    public init(email: String, name: String, department: String, employeeClass: String) {
        self.email = email
        self.name = name
        self.department = department
        self.employeeClass = employeeClass
    }

    enum CodingKeys: String, CodingKey {
        case email, name, department
        case employeeClass = "employee_class"
        case exempt
        case bargainingUnit = "bargaining_unit"
        case jobTitle = "job_title"
        case monthsEmployed = "months_employed"
        case lastRating = "last_rating"
        case monthsSinceLastRating = "months_since_last_rating"
        case pendingPerformanceAction = "pending_performance_action"
        case monthsSinceLastDiscipline = "months_since_last_discipline"
        case coveredByCollectiveAgreement = "covered_by_collective_agreement"
        case positionOccupied = "position_occupied"
        case participatesInHealthPlan = "participates_in_health_plan"
        case standardWeeklyHours = "standard_weekly_hours"
        case twentyFourHourShift = "twenty_four_hour_shift"
    }
}
