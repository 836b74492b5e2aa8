import Testing

@testable import Policy

/// Rutgers (Article 59): scenarios against deploy/tenants/rutgers.yaml.
@Suite("Rutgers scenarios")
struct RutgersScenarioTests {
    typealias F = TenantFixtures

    static func remote(
        _ type: String, days: Int? = nil, region: String = "NJ", start: String = "2025-03-03",
        end: String? = nil, configure: (inout ArrangementRequest) -> Void = { _ in }
    ) -> ArrangementRequest {
        F.request(
            type, employee: F.employee(class: "staff", department: "libraries") { $0.exempt = true },
            start: start, end: end, submitted: "2025-02-03"
        ) { request in
            request.remoteDaysPerWeek = days
            request.location = WorkLocation(country: "US", region: region)
            configure(&request)
        }
    }

    static func adHoc(start: String, end: String, used: Int) -> ArrangementRequest {
        remote("ad_hoc", start: start, end: end) { $0.priorUsage = PriorUsage(businessDaysUsed: used) }
    }

    static let scenarios: [Scenario] = [
        Scenario(
            name: "hybrid with 2 remote days", clause: "§II.A.2.a: Department Head approves",
            request: remote("hybrid", days: 2), eligible: true, chainRoles: ["supervisor", "department_head"]),
        Scenario(
            name: "hybrid with 3 remote days", clause: "§II.A.2.b: Department Head and Cabinet Officer",
            request: remote("hybrid", days: 3), eligible: true,
            chainRoles: ["supervisor", "department_head", "cabinet_officer"]),
        Scenario(
            name: "hybrid with 5 remote days", clause: "§II.A.2: at most 4 remote days is hybrid",
            request: remote("hybrid", days: 5), eligible: false, violations: ["hybrid.remote_days.max"]),
        Scenario(
            name: "home office in Connecticut", clause: "§I Alternate Work Location: NJ, NY, PA or DE",
            request: remote("hybrid", days: 2, region: "CT"), eligible: false,
            violations: ["rutgers-alternate-work-location-states"], findings: ["rutgers-alternate-work-location-states"]
        ),
        Scenario(
            name: "home office in Pennsylvania", clause: "§I Alternate Work Location: NJ, NY, PA or DE",
            request: remote("hybrid", days: 2, region: "PA"), eligible: true, noFindings: true),
        Scenario(
            name: "20th ad hoc day of the year", clause: "§II.A.1: not to exceed 20 business days in a calendar year",
            request: adHoc(start: "2025-03-03", end: "2025-03-03", used: 19), eligible: true, chainRoles: ["supervisor"]
        ),
        Scenario(
            name: "21st ad hoc day of the year", clause: "§II.A.1: not to exceed 20 business days in a calendar year",
            request: adHoc(start: "2025-03-03", end: "2025-03-03", used: 20), eligible: false,
            violations: ["ad_hoc.yearly_cap"]),
        Scenario(
            name: "ad hoc week over Memorial Day reaching 20", clause: "§II.A.1: business days, holiday not counted",
            request: adHoc(start: "2025-05-19", end: "2025-05-26", used: 15), eligible: true),
        Scenario(
            name: "ad hoc over Memorial Day reaching 21", clause: "§II.A.1: business days, holiday not counted",
            request: adHoc(start: "2025-05-19", end: "2025-05-27", used: 15), eligible: false,
            violations: ["ad_hoc.yearly_cap"]),
        Scenario(
            name: "compressed workweek combined with hybrid", clause: "§I Compressed Workweek: cannot be combined",
            request: F.request("compressed_workweek") { $0.combinedWith = ["hybrid"] }, eligible: false,
            violations: ["compressed_workweek.combinable"]),
        Scenario(
            name: "hybrid combined with a compressed workweek", clause: "§I Compressed Workweek: cannot be combined",
            request: remote("hybrid", days: 2) { $0.combinedWith = ["compressed_workweek"] }, eligible: false,
            violations: ["compressed_workweek.combinable"]),
        Scenario(
            name: "9&1 for an overtime-eligible employee", clause: "§III.A.2.b.ii",
            request: F.request("compressed_workweek", employee: F.employee { $0.exempt = false }) {
                $0.fields = ["pattern": "9&1", "meal_break_minutes": "30"]
            }, eligible: false, violations: ["rutgers-9-and-1-overtime-eligible"]),
        Scenario(
            name: "flex workday with a 20 minute meal break", clause: "§III.A.1.c: at least 30 consecutive minutes",
            request: F.request("flex_workday") { $0.fields = ["meal_break_minutes": "20"] }, eligible: false,
            violations: ["rutgers-meal-break"]),
        Scenario(
            name: "fully remote for one year", clause: "§II.A.5: Cabinet Officer and SVP HR, at most one year",
            request: remote("fully_remote", end: "2026-03-02"), eligible: true,
            warnings: ["rutgers-fully-remote-extraordinary"],
            chainRoles: ["supervisor", "department_head", "cabinet_officer", "svp_hr"]),
        Scenario(
            name: "fully remote for a year and a day", clause: "§II.A.5: not to exceed one year",
            request: remote("fully_remote", end: "2026-03-03"), eligible: false,
            violations: ["fully_remote.max_duration"]),
        Scenario(
            name: "seasonal for three months of a fiscal year", clause: "§II.A.3: three months each fiscal year",
            request: remote("seasonal", start: "2025-07-01", end: "2025-09-30"), eligible: true),
        Scenario(
            name: "seasonal for three months and a day", clause: "§II.A.3: three months each fiscal year",
            request: remote("seasonal", start: "2025-07-01", end: "2025-10-01"), eligible: false,
            violations: ["seasonal.yearly_cap"]),
        Scenario(
            name: "emergency remote work without an emergency", clause: "§II.A.4",
            request: remote("emergency"), eligible: false, violations: ["rutgers-emergency-declared"]),
    ]

    @Test("scenario", arguments: scenarios)
    func scenario(_ row: Scenario) throws {
        row.check(with: try F.engine("rutgers"))
    }

    @Test("prior ad hoc dates are counted per calendar year")
    func priorDates() throws {
        let engine = try F.engine("rutgers")
        let dates = (0..<28).map { F.date("2025-02-03").adding(days: $0) }.filter { engine.calendar.isBusinessDay($0) }
        #expect(dates.count == 20)
        let next = Self.remote("ad_hoc", start: "2025-03-03", end: "2025-03-03") {
            $0.priorUsage = PriorUsage(dates: dates)
        }
        #expect(engine.evaluate(next).violations.map(\.ruleId) == ["ad_hoc.yearly_cap"])
        let nextYear = Self.remote("ad_hoc", start: "2026-01-05", end: "2026-01-05") {
            $0.priorUsage = PriorUsage(dates: dates)
        }
        #expect(engine.evaluate(nextYear).eligible)
    }

    @Test("discontinuance needs 14 calendar days; fully remote expires after a year")
    func noticeAndExpiry() throws {
        let engine = try F.engine("rutgers")
        let short = engine.checkNotice(
            NoticeRequest(
                arrangementType: "hybrid", action: .termination,
                noticeGivenOn: F.date("2025-03-03"), effectiveOn: F.date("2025-03-16")))
        #expect(!short.ok && short.earliestEffectiveDate?.description == "2025-03-17")
        let expiry = try #require(engine.expiry(for: Self.remote("fully_remote")))
        #expect(expiry.lastDay.description == "2026-03-02" && expiry.noticeOn.description == "2026-01-31")
        #expect(expiry.ruleId == "fully_remote.max_duration")
    }
}
