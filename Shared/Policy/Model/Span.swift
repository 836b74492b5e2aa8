/// A length of time in exactly one unit: `{business_days: 5}`, `{calendar_days: 14}`,
/// `{months: 6}` or `{years: 1}`.
public struct Span: Codable, Sendable, Equatable {
    /// Business days of the tenant's calendar.
    public var businessDays: Int?
    /// Calendar days.
    public var calendarDays: Int?
    /// Calendar months (day clamped to the month's end).
    public var months: Int?
    /// Calendar years.
    public var years: Int?

    enum CodingKeys: String, CodingKey {
        case businessDays = "business_days"
        case calendarDays = "calendar_days"
        case months, years
    }

    /// How many units are set (a valid span has exactly one).
    var unitCount: Int {
        [businessDays, calendarDays, months, years].compactMap { $0 }.count
    }

    /// `5 business days`, `1 year`…
    public var phrase: String {
        if let businessDays { return Span.plural(businessDays, "business day") }
        if let calendarDays { return Span.plural(calendarDays, "calendar day") }
        if let months { return Span.plural(months, "month") }
        if let years { return Span.plural(years, "year") }
        return "no time"
    }

    /// `date` moved forward by this span on `calendar` (business days skip non-business days).
    public func after(_ date: CivilDate, on calendar: BusinessCalendar) -> CivilDate {
        if let businessDays { return calendar.adding(businessDays: businessDays, to: date) }
        if let calendarDays { return date.adding(days: calendarDays) }
        if let months { return date.adding(months: months) }
        if let years { return date.adding(years: years) }
        return date
    }

    /// `date` moved back by this span.
    public func before(_ date: CivilDate, on calendar: BusinessCalendar) -> CivilDate {
        if let businessDays { return calendar.adding(businessDays: -businessDays, to: date) }
        if let calendarDays { return date.adding(days: -calendarDays) }
        if let months { return date.adding(months: -months) }
        if let years { return date.adding(years: -years) }
        return date
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)" + (count == 1 ? "" : "s")
    }
}
