/// One arrangement a tenant offers (hybrid, flextime, part-time…) and its limits.
public struct ArrangementType: Codable, Sendable, Equatable {
    /// Type id used in requests (`hybrid`).
    public var id: String
    /// Display name.
    public var name: String
    /// Remote work: location rules and remote-day limits apply to it.
    public var remote: Bool?
    /// The clause that defines the type.
    public var source: String?
    /// Remote days per week allowed.
    public var remoteDaysPerWeek: DayRange?
    /// Longest single arrangement (Rutgers fully remote: `{years: 1}`).
    public var maxDuration: Span?
    /// Cap on use per calendar or fiscal year.
    public var yearlyCap: YearlyCap?
    /// Shortest participation before withdrawal (MA DOC: `{months: 1}`).
    public var minParticipation: Span?
    /// Whether a request must give an end date (`optional` by default).
    public var endDate: EndDateRule?
    /// How far ahead the request must be made.
    public var advanceRequest: AdvanceRequest?
    /// Whether it may be combined with other arrangements (default true).
    public var combinable: Bool?
    /// Employee classes that may use it (all when absent).
    public var employeeClasses: [String]?
    /// Review cycle after activation.
    public var review: ReviewCycle?
    /// Notice periods for withdrawal, termination or an imposed transition.
    public var notices: [NoticeRule]?
    /// Fields and attestations the request must carry.
    public var requirements: [Requirement]?
    /// Whether a justification is required and what is not enough on its own.
    public var justification: JustificationRule?
    /// The window a schedule must fit (MA DOC flextime bandwidth).
    public var scheduleWindow: ScheduleWindow?

    enum CodingKeys: String, CodingKey {
        case id, name, remote, source
        case remoteDaysPerWeek = "remote_days_per_week"
        case maxDuration = "max_duration"
        case yearlyCap = "yearly_cap"
        case minParticipation = "min_participation"
        case endDate = "end_date"
        case advanceRequest = "advance_request"
        case combinable
        case employeeClasses = "employee_classes"
        case review, notices, requirements, justification
        case scheduleWindow = "schedule_window"
    }
}

/// An inclusive range of days per week.
public struct DayRange: Codable, Sendable, Equatable {
    /// Fewest days (inclusive).
    public var min: Int?
    /// Most days (inclusive).
    public var max: Int?
    /// The clause.
    public var source: String?

}

/// A cap on use per year: `{business_days: 20, year: calendar}` or `{months: 3, year: fiscal}`.
public struct YearlyCap: Codable, Sendable, Equatable {
    /// Business days per year.
    public var businessDays: Int?
    /// Calendar days per year.
    public var calendarDays: Int?
    /// Months per year (counted as the calendar days of that many months from the start).
    public var months: Int?
    /// Calendar year or the tenant's fiscal year.
    public var year: YearKind
    /// The clause.
    public var source: String?

    enum CodingKeys: String, CodingKey {
        case businessDays = "business_days"
        case calendarDays = "calendar_days"
        case months, year, source
    }
}

/// Which year a cap counts in.
public enum YearKind: String, PolicyKeyword {
    /// January 1 – December 31.
    case calendar
    /// From the tenant's `fiscal_year_start`.
    case fiscal
}

/// Whether a request gives an end date.
public enum EndDateRule: String, PolicyKeyword {
    /// No end date needed.
    case optional
    /// A missing end date is a warning (Mines: agreements are time-specific).
    case recommended
    /// A missing end date is a violation.
    case required
}

/// How far ahead a request must be made.
public struct AdvanceRequest: Codable, Sendable, Equatable {
    /// Business days between submission and start (univ-f400 remote day: 2).
    public var businessDays: Int?
    /// Calendar days between submission and start.
    public var calendarDays: Int?
    /// An emergency waives it.
    public var waivedInEmergency: Bool?
    /// The clause.
    public var source: String?

    enum CodingKeys: String, CodingKey {
        case businessDays = "business_days"
        case calendarDays = "calendar_days"
        case waivedInEmergency = "waived_in_emergency"
        case source
    }
}

/// Reviews after activation: the first after `first_after_months`, then every `every_months`.
public struct ReviewCycle: Codable, Sendable, Equatable {
    /// Months from activation to the first review.
    public var firstAfterMonths: Int
    /// Months between later reviews (none when absent).
    public var everyMonths: Int?
    /// The clause.
    public var source: String?

    enum CodingKeys: String, CodingKey {
        case firstAfterMonths = "first_after_months"
        case everyMonths = "every_months"
        case source
    }
}

/// The window a requested schedule must fit, checked on `fields.start_time`/`fields.end_time`.
public struct ScheduleWindow: Codable, Sendable, Equatable {
    /// Earliest start.
    public var start: TimeOfDay
    /// Latest end.
    public var end: TimeOfDay
    /// Applies only when this holds (MA DOC: headquarters staff).
    public var when: Condition?
    /// The clause.
    public var source: String?

}
