import Foundation

/// Business days of one tenant: its work week minus its holidays (observed days included).
///
/// Holidays are resolved once, at construction, into a bit set over a span of years (by
/// default 1990–2100); a year outside the span is resolved with the same rules the first time
/// one of its dates is asked about, and kept (`HolidayYearCache`), so answers never depend on
/// the span and every date costs about the same.
public struct BusinessCalendar: Sendable {
    private let workDayMask: UInt8
    private let rules: [HolidayRule]
    private let firstDay: Int
    private let bits: [UInt64]
    let farYears = HolidayYearCache()

    /// The calendar of `policy` (its `work_week` and `holidays`).
    public init(policy: TenantPolicy) {
        self.init(workWeek: policy.workWeek ?? Weekday.standardWorkWeek, holidays: policy.holidays ?? [])
    }

    /// A calendar from a work week and holiday rules, precomputed for `years`.
    public init(workWeek: [Weekday], holidays: [HolidayRule], years: ClosedRange<Int> = 1990...2100) {
        workDayMask = workWeek.reduce(0) { $0 | (1 << UInt8($1.index)) }
        rules = holidays
        let first = CivilDate(year: years.lowerBound, month: 1, day: 1)!.dayNumber
        let last = CivilDate(year: years.upperBound, month: 12, day: 31)!.dayNumber
        var bits = [UInt64](repeating: 0, count: (last - first) / 64 + 1)
        for year in (years.lowerBound - 1)...(years.upperBound + 1) {
            for rule in holidays {
                for date in rule.daysOff(in: year) where date.dayNumber >= first && date.dayNumber <= last {
                    let offset = date.dayNumber - first
                    bits[offset / 64] |= 1 << UInt64(offset % 64)
                }
            }
        }
        firstDay = first
        self.bits = bits
    }

    /// Whether `date` is a work-week day that is not a holiday.
    public func isBusinessDay(_ date: CivilDate) -> Bool {
        workDayMask & (1 << UInt8(date.weekdayIndex)) != 0 && !isHoliday(date)
    }

    /// Whether `date` is a holiday (actual or observed day).
    public func isHoliday(_ date: CivilDate) -> Bool {
        let offset = date.dayNumber - firstDay
        if offset >= 0, offset / 64 < bits.count {
            return bits[offset / 64] & (1 << UInt64(offset % 64)) != 0
        }
        return farYears.holidays(in: date.year) { holidays(in: $0) }.contains(date.dayNumber)
    }

    /// The holidays (actual and observed days) that fall in `year`, sorted.
    public func holidays(in year: Int) -> [CivilDate] {
        var days = Set<CivilDate>()
        for rule in rules {
            for candidate in (year - 1)...(year + 1) {
                days.formUnion(rule.daysOff(in: candidate).filter { $0.year == year })
            }
        }
        return days.sorted()
    }

    /// The `businessDays`-th business day after `date` (before it when negative); `date`
    /// itself when zero. Adding 5 business days to a Tuesday before a Monday holiday lands on
    /// the Wednesday of the next week.
    public func adding(businessDays: Int, to date: CivilDate) -> CivilDate {
        var remaining = abs(businessDays)
        let step = businessDays >= 0 ? 1 : -1
        var current = date
        while remaining > 0 {
            current = current.adding(days: step)
            if isBusinessDay(current) { remaining -= 1 }
        }
        return current
    }

    /// The number of business days from `start` through `end`, both included (0 when `end`
    /// is before `start`).
    public func businessDays(from start: CivilDate, through end: CivilDate) -> Int {
        guard start <= end else { return 0 }
        var count = 0
        var current = start
        while current <= end {
            if isBusinessDay(current) { count += 1 }
            current = current.adding(days: 1)
        }
        return count
    }

    /// The tenant's local date at `instant` in the IANA time zone `timeZone` (UTC if unknown).
    public static func localDate(at instant: Date, timeZone identifier: String) -> CivilDate {
        let zone = TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 0)!
        let seconds = instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))
        return CivilDate(dayNumber: Int((seconds / 86_400).rounded(.down)))
    }
}

extension Weekday {
    /// Monday through Friday.
    public static let standardWorkWeek: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]
}
