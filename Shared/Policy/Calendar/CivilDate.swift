import Foundation

/// A calendar date without a time or a time zone ("2025-02-17"), as the policies speak of dates.
///
/// Stored as a day number (days since 1970-01-01) so that comparisons, hashing and day
/// arithmetic are integer operations. Its `Codable` form is the string `YYYY-MM-DD`.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public let dayNumber: Int

    /// The date with the given day number (days since 1970-01-01).
    public init(dayNumber: Int) {
        self.dayNumber = dayNumber
    }

    /// The date with the given proleptic Gregorian year, month (1–12) and day (1–31);
    /// `nil` when the combination does not exist (for example February 30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1,
            day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.dayNumber = CivilDate.dayNumber(year: year, month: month, day: day)
    }

    /// Parses the strict form `YYYY-MM-DD` (four-digit year, two-digit month and day).
    public init(parsing text: String) throws(CivilDateError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = CivilDate.digits(bytes[0..<4]),
            let month = CivilDate.digits(bytes[5..<7]),
            let day = CivilDate.digits(bytes[8..<10])
        else {
            throw CivilDateError(text: text, reason: "expected a date in the form YYYY-MM-DD")
        }
        guard let date = CivilDate(year: year, month: month, day: day) else {
            throw CivilDateError(text: text, reason: "no such calendar day")
        }
        self = date
    }

    /// The year, month and day of this date.
    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The year of this date.
    public var year: Int { components.year }
    /// The month of this date (1–12).
    public var month: Int { components.month }
    /// The day of the month (1–31).
    public var day: Int { components.day }

    /// The day of the week.
    public var weekday: Weekday {
        Weekday(index: weekdayIndex)
    }

    /// 0 for Monday through 6 for Sunday (1970-01-01 was a Thursday, index 3).
    public var weekdayIndex: Int {
        ((dayNumber % 7) + 7 + 3) % 7
    }

    /// This date moved by `days` calendar days (negative moves back).
    public func adding(days: Int) -> CivilDate {
        CivilDate(dayNumber: dayNumber + days)
    }

    /// This date moved by whole months; a day past the end of the target month is clamped to
    /// its last day (2025-01-31 plus one month is 2025-02-28).
    public func adding(months: Int) -> CivilDate {
        let (year, month, day) = components
        let total = year * 12 + (month - 1) + months
        let newYear = total >= 0 ? total / 12 : (total - 11) / 12
        let newMonth = total - newYear * 12 + 1
        let clamped = min(day, CivilDate.daysInMonth(year: newYear, month: newMonth))
        return CivilDate(dayNumber: CivilDate.dayNumber(year: newYear, month: newMonth, day: clamped))
    }

    /// This date moved by whole years (February 29 becomes February 28 in a common year).
    public func adding(years: Int) -> CivilDate {
        adding(months: years * 12)
    }

    /// Calendar days from this date to `other` (positive when `other` is later).
    public func days(until other: CivilDate) -> Int {
        other.dayNumber - dayNumber
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = components
        return CivilDate.pad(year, 4) + "-" + CivilDate.pad(month, 2) + "-" + CivilDate.pad(day, 2)
    }

    /// Orders dates chronologically.
    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        lhs.dayNumber < rhs.dayNumber
    }

    /// Number of days in the month (28–31).
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whether the year has a February 29.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

extension CivilDate: Codable {
    /// Decodes the string form `YYYY-MM-DD`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try CivilDate(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the string form `YYYY-MM-DD`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A string that is not a valid `YYYY-MM-DD` date.
public struct CivilDateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text that failed to parse.
    public let text: String
    /// Why it failed.
    public let reason: String

    /// `invalid date "2025-02-30": no such calendar day`.
    public var description: String { "invalid date \"\(text)\": \(reason)" }
}
