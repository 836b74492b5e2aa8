/// One holiday of a tenant's calendar: a fixed date each year (`month` + `day`), the n-th
/// weekday of a month (`month` + `weekday` + `nth`, `-1` for the last), or a single `date`;
/// optionally shifted by `offset_days` (the day after Thanksgiving) and moved to an observed
/// weekday when it falls on a weekend.
public struct HolidayRule: Codable, Sendable, Equatable {
    /// Unique id within the tenant (`patriots_day`).
    public var id: String
    /// Display name.
    public var name: String?
    /// A one-off holiday on this date (then `month`, `day`, `weekday`, `nth` are absent).
    public var date: CivilDate?
    /// Month of a yearly holiday (1–12).
    public var month: Int?
    /// Day of the month of a fixed-date holiday.
    public var day: Int?
    /// Weekday of a floating holiday ("third Monday of April").
    public var weekday: Weekday?
    /// Which occurrence of `weekday` in `month`: 1–5, or -1 for the last.
    public var nth: Int?
    /// Days added after the rule is resolved (1 for the day after Thanksgiving).
    public var offsetDays: Int?
    /// Where a holiday that falls on a weekend is observed.
    public var observed: ObservedRule?
    /// First year the holiday applies (Juneteenth: 2021 in Massachusetts).
    public var firstYear: Int?
    /// Last year the holiday applies.
    public var lastYear: Int?
    /// Where the policy or law names this holiday.
    public var source: String?

    /// A holiday rule; see the properties for the allowed combinations.
    public init(
        id: String, name: String? = nil, date: CivilDate? = nil, month: Int? = nil,
        day: Int? = nil, weekday: Weekday? = nil, nth: Int? = nil, offsetDays: Int? = nil,
        observed: ObservedRule? = nil, firstYear: Int? = nil, lastYear: Int? = nil,
        source: String? = nil
    ) {
        self.id = id
        self.name = name
        self.date = date
        self.month = month
        self.day = day
        self.weekday = weekday
        self.nth = nth
        self.offsetDays = offsetDays
        self.observed = observed
        self.firstYear = firstYear
        self.lastYear = lastYear
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case id, name, date, month, day, weekday, nth
        case offsetDays = "offset_days"
        case observed
        case firstYear = "first_year"
        case lastYear = "last_year"
        case source
    }
}

/// Where a holiday that falls on a weekend is observed.
public enum ObservedRule: String, PolicyKeyword {
    /// Not moved: a weekend holiday costs no business day.
    case none
    /// Saturday → the Friday before, Sunday → the Monday after (US federal practice).
    case nearestWeekday = "nearest_weekday"
    /// Sunday → the Monday after; Saturday is not moved (M.G.L. c. 4, § 7).
    case sundayToMonday = "sunday_to_monday"
    /// Saturday or Sunday → the Monday after.
    case nextMonday = "next_monday"
}

extension HolidayRule {
    /// The days off this rule gives in `year` (the actual day and, if it differs, the observed
    /// day). An observed day may fall in the neighbouring year (January 1 on a Saturday is
    /// observed on December 31 under `nearest_weekday`).
    public func daysOff(in year: Int) -> [CivilDate] {
        if let firstYear, year < firstYear { return [] }
        if let lastYear, year > lastYear { return [] }
        guard let actual = actualDate(in: year) else { return [] }
        let moved = observedDate(of: actual)
        return moved == actual ? [actual] : [actual, moved]
    }

    /// The calendar date of the holiday in `year`, before any observed-day shift.
    public func actualDate(in year: Int) -> CivilDate? {
        var base: CivilDate?
        if let date {
            base = date.year == year ? date : nil
        } else if let month, let day {
            base = CivilDate(year: year, month: month, day: day)
        } else if let month, let weekday, let nth {
            base = HolidayRule.nthWeekday(nth, weekday, month: month, year: year)
        }
        guard let base else { return nil }
        return base.adding(days: offsetDays ?? 0)
    }

    private func observedDate(of actual: CivilDate) -> CivilDate {
        switch (observed ?? .none, actual.weekday) {
        case (.nearestWeekday, .saturday): return actual.adding(days: -1)
        case (.nearestWeekday, .sunday), (.sundayToMonday, .sunday), (.nextMonday, .sunday):
            return actual.adding(days: 1)
        case (.nextMonday, .saturday): return actual.adding(days: 2)
        default: return actual
        }
    }

    /// The `nth` (1–5, or -1 for last) `weekday` of `month` in `year`, if it exists.
    static func nthWeekday(_ nth: Int, _ weekday: Weekday, month: Int, year: Int) -> CivilDate? {
        guard let first = CivilDate(year: year, month: month, day: 1) else { return nil }
        let length = CivilDate.daysInMonth(year: year, month: month)
        if nth == -1 {
            let last = first.adding(days: length - 1)
            let back = (last.weekday.index - weekday.index + 7) % 7
            return last.adding(days: -back)
        }
        guard (1...5).contains(nth) else { return nil }
        let forward = (weekday.index - first.weekday.index + 7) % 7
        let offset = forward + (nth - 1) * 7
        return offset < length ? first.adding(days: offset) : nil
    }
}
