import Foundation
import Testing

@testable import Policy

/// Dates outside the precomputed span (1990–2100) are answered from a per-year cache: the same
/// answers as the holiday rules themselves, at the same cost as dates inside the span.
@Suite("Business calendar beyond the precomputed years")
struct BusinessCalendarFarYearTests {
    typealias F = TenantFixtures

    /// The rule definition, applied directly: `date` is a holiday when a rule of the year before,
    /// the year itself or the year after puts a day off on it (observed days cross year ends).
    static func isHolidayByRules(_ date: CivilDate, _ rules: [HolidayRule]) -> Bool {
        rules.contains { rule in ((date.year - 1)...(date.year + 1)).contains { rule.daysOff(in: $0).contains(date) } }
    }

    static func days(of year: Int) -> [CivilDate] {
        let first = CivilDate(year: year, month: 1, day: 1)!
        let last = CivilDate(year: year, month: 12, day: 31)!
        return (first.dayNumber...last.dayNumber).map(CivilDate.init(dayNumber:))
    }

    @Test("every day of far years (1850, 2150, 5577) answers as the rules say, for each tenant", arguments: F.tenantIds)
    func farYearsMatchTheRules(tenant: String) throws {
        let policy = try F.policy(tenant)
        let rules = policy.holidays ?? []
        let calendar = BusinessCalendar(policy: policy)
        // Another span, which does precompute 2150: the bit set and the cache must agree too.
        let later = BusinessCalendar(
            workWeek: policy.workWeek ?? Weekday.standardWorkWeek, holidays: rules, years: 2140...2160)
        var holidays = 0
        for year in [1850, 2150, 5577] {
            for date in Self.days(of: year) {
                let expected = Self.isHolidayByRules(date, rules)
                #expect(calendar.isHoliday(date) == expected, "\(tenant) \(date)")
                if year == 2150 { #expect(later.isHoliday(date) == expected, "\(tenant) \(date), span 2140–2160") }
                if expected { holidays += 1 }
            }
        }
        #expect(holidays >= 3 * rules.count, "\(tenant): the rules put days off in each far year")
        #expect(calendar.farYears.count == 3)
    }

    @Test("a far year is computed once, whatever the number of threads asking")
    func farYearComputedOnce() async throws {
        let calendar = BusinessCalendar(policy: try F.policy("ma-doc"))
        let dates = Self.days(of: 5577)
        let answers = await withTaskGroup(of: [Bool].self) { group in
            for _ in 0..<8 { group.addTask { dates.map(calendar.isHoliday) } }
            return await group.reduce(into: [[Bool]]()) { $0.append($1) }
        }
        #expect(Set(answers).count == 1)
        #expect(calendar.farYears.count == 1)
        // Patriots' Day 5577: the third Monday of April is a holiday in Massachusetts.
        let aprilMondays = dates.filter { $0.month == 4 && $0.weekdayIndex == 0 }
        #expect(calendar.isHoliday(aprilMondays[2]))
        #expect(!calendar.isHoliday(aprilMondays[1]))
    }

    @Test("counting business days across a far decade stays as cheap as inside the span")
    func farDecadeIsCheap() throws {
        let calendar = BusinessCalendar(policy: try F.policy("mit"))
        let clock = ContinuousClock()
        var inside = 0
        var far = 0
        let insideTime = clock.measure {
            inside = calendar.businessDays(
                from: CivilDate(year: 2030, month: 1, day: 1)!, through: CivilDate(year: 2039, month: 12, day: 31)!)
        }
        let farTime = clock.measure {
            far = calendar.businessDays(
                from: CivilDate(year: 4030, month: 1, day: 1)!, through: CivilDate(year: 4039, month: 12, day: 31)!)
        }
        #expect(inside > 2_400 && far > 2_400)
        #expect(calendar.farYears.count == 10)
        // Before the cache, the far decade took three years of rules per day (seconds in debug).
        #expect(farTime < insideTime * 20 + .seconds(1), "far \(farTime), inside \(insideTime)")
    }
}
