/// A day of the year without a year (`MM-DD`), such as the start of a fiscal year.
public struct MonthDay: Sendable, Hashable, CustomStringConvertible {
    /// 1–12.
    public let month: Int
    /// 1–31 (February 29 is not allowed, since it does not occur every year).
    public let day: Int

    /// `nil` when the day does not exist in every year.
    public init?(month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1,
            day <= CivilDate.daysInMonth(year: 2001, month: month)
        else { return nil }
        self.month = month
        self.day = day
    }

    /// `MM-DD`.
    public var description: String {
        (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day)
    }

    /// This day in `year`.
    public func date(in year: Int) -> CivilDate {
        CivilDate(dayNumber: CivilDate.dayNumber(year: year, month: month, day: day))
    }
}

extension MonthDay: Codable {
    /// Decodes `MM-DD`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            let month = Int(parts[0]), let day = Int(parts[1]),
            let value = MonthDay(month: month, day: day)
        else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "invalid month-day \"\(text)\"; expected MM-DD such as 07-01")
        }
        self = value
    }

    /// Encodes `MM-DD`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
