import Foundation
import Testing

@testable import Policy

@Suite("Business days and dates")
struct BusinessCalendarTests {
    typealias F = TenantFixtures

    static let madocHolidays2025 = [
        "2025-01-01", "2025-01-20", "2025-02-17", "2025-04-21", "2025-05-26", "2025-06-19",
        "2025-07-04", "2025-09-01", "2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25",
    ]

    @Test("MA DOC 2025: the twelve legal holidays of M.G.L. c. 4, § 7 (third Mondays, last Monday, fourth Thursday)")
    func madocHolidays() throws {
        let calendar = try F.engine("ma-doc").calendar
        #expect(calendar.holidays(in: 2025).map(\.description) == Self.madocHolidays2025)
        #expect(!calendar.isBusinessDay(F.date("2025-04-21")))  // Patriots' Day, third Monday of April
        #expect(calendar.isBusinessDay(F.date("2025-04-22")))
        #expect(!calendar.isBusinessDay(F.date("2024-04-15")))  // Patriots' Day 2024
    }

    @Test("observed days: Sunday → Monday in Massachusetts; Saturday → Friday under nearest_weekday")
    func observedDays() throws {
        let madoc = try F.engine("ma-doc").calendar
        let mit = try F.engine("mit").calendar
        #expect(!madoc.isBusinessDay(F.date("2027-07-05")))  // July 4, 2027 is a Sunday
        #expect(!madoc.isBusinessDay(F.date("2022-12-26")))  // Christmas 2022 is a Sunday
        #expect(madoc.isBusinessDay(F.date("2021-12-24")))  // Christmas 2021 is a Saturday: not moved
        #expect(!mit.isBusinessDay(F.date("2021-12-24")))  // ... but moved to Friday at MIT
        #expect(!mit.isBusinessDay(F.date("2021-12-31")))  // New Year's Day 2022 observed in 2021
        #expect(!mit.isBusinessDay(F.date("2025-11-28")))  // day after Thanksgiving (offset_days: 1)
    }

    @Test("adding business days across holidays and year ends")
    func addingBusinessDays() throws {
        let madoc = try F.engine("ma-doc").calendar
        #expect(madoc.adding(businessDays: 5, to: F.date("2025-02-11")).description == "2025-02-19")
        #expect(madoc.adding(businessDays: 3, to: F.date("2025-12-24")).description == "2025-12-30")
        #expect(madoc.adding(businessDays: 1, to: F.date("2026-12-31")).description == "2027-01-04")
        #expect(madoc.adding(businessDays: -1, to: F.date("2025-02-18")).description == "2025-02-14")
        #expect(madoc.adding(businessDays: 0, to: F.date("2025-02-15")).description == "2025-02-15")
    }

    @Test("counting business days in a range")
    func countingBusinessDays() throws {
        let madoc = try F.engine("ma-doc").calendar
        #expect(madoc.businessDays(from: F.date("2025-02-01"), through: F.date("2025-02-28")) == 19)
        #expect(madoc.businessDays(from: F.date("2025-12-22"), through: F.date("2026-01-02")) == 8)
        #expect(madoc.businessDays(from: F.date("2025-03-05"), through: F.date("2025-03-04")) == 0)
    }

    @Test("dates outside the precomputed span use the same rules")
    func outsideSpan() {
        let rules = [HolidayRule(id: "patriots", month: 4, weekday: .monday, nth: 3)]
        let narrow = BusinessCalendar(workWeek: Weekday.standardWorkWeek, holidays: rules, years: 2020...2021)
        #expect(!narrow.isBusinessDay(F.date("2030-04-15")))
        #expect(narrow.isBusinessDay(F.date("2030-04-16")))
    }

    @Test("strict CivilDate parsing and month arithmetic")
    func civilDates() throws {
        #expect(throws: CivilDateError.self) { try CivilDate(parsing: "2025-2-3") }
        #expect(throws: CivilDateError.self) { try CivilDate(parsing: "2025-02-30") }
        #expect(throws: CivilDateError.self) { try CivilDate(parsing: "2025-02-03T00:00") }
        #expect(F.date("2024-02-29").description == "2024-02-29")
        #expect(F.date("2025-01-31").adding(months: 1).description == "2025-02-28")
        #expect(F.date("2024-01-31").adding(months: 1).description == "2024-02-29")
        #expect(F.date("2025-12-15").adding(months: 2).description == "2026-02-15")
        #expect(F.date("2025-03-03").weekday == .monday)
        #expect(F.date("1969-12-31").adding(days: 1).description == "1970-01-01")
        let encoded = try JSONEncoder().encode([F.date("2025-07-04")])
        #expect(String(decoding: encoded, as: UTF8.self) == "[\"2025-07-04\"]")
    }

    @Test("local dates in the tenant's time zone")
    func localDate() {
        let instant = Date(timeIntervalSince1970: 1_740_970_800)  // 2025-03-03T03:00:00Z
        #expect(BusinessCalendar.localDate(at: instant, timeZone: "America/Denver").description == "2025-03-02")
        #expect(BusinessCalendar.localDate(at: instant, timeZone: "Europe/Paris").description == "2025-03-03")
    }
}
