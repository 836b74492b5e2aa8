/// What the employee already used in the year of the request, for yearly caps and
/// per-year location thresholds.
public struct PriorUsage: Codable, Sendable, Equatable {
    /// Business days of the same type already used in the cap year of the start date.
    public var businessDaysUsed: Int?
    /// Calendar days of the same type already used in the cap year of the start date.
    public var calendarDaysUsed: Int?
    /// Dates previously approved for the same type (counted per cap year when present).
    public var dates: [CivilDate]?
    /// Calendar days already worked away from the home region this calendar year.
    public var daysAwayThisYear: Int?

    /// Prior usage.
    public init(
        businessDaysUsed: Int? = nil, calendarDaysUsed: Int? = nil, dates: [CivilDate]? = nil,
        daysAwayThisYear: Int? = nil
    ) {
        self.businessDaysUsed = businessDaysUsed
        self.calendarDaysUsed = calendarDaysUsed
        self.dates = dates
        self.daysAwayThisYear = daysAwayThisYear
    }

    enum CodingKeys: String, CodingKey {
        case businessDaysUsed = "business_days_used"
        case calendarDaysUsed = "calendar_days_used"
        case dates
        case daysAwayThisYear = "days_away_this_year"
    }
}
