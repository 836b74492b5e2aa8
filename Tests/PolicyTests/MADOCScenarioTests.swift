import Testing

@testable import Policy

/// Massachusetts DOC (103 DOC 213): scenarios against deploy/tenants/ma-doc.yaml.
@Suite("MA DOC scenarios")
struct MADOCScenarioTests {
    typealias F = TenantFixtures

    static let reason = "I drive my father to dialysis at 7:30 three mornings a week and need to start at 9:30"

    static func option(
        _ type: String = "flextime", justification: String? = reason,
        employee: Employee = F.employee(class: "management", department: "mci_norfolk") {
            $0.jobTitle = "Program Coordinator II"
        },
        configure: (inout ArrangementRequest) -> Void = { _ in }
    ) -> ArrangementRequest {
        F.request(type, employee: employee) { request in
            request.justification = justification
            configure(&request)
        }
    }

    static func titled(_ title: String? = nil, unit: String? = nil) -> Employee {
        F.employee(class: "staff", department: "mci_norfolk") { employee in
            employee.jobTitle = title
            employee.bargainingUnit = unit
        }
    }

    static let scenarios: [Scenario] = [
        Scenario(
            name: "flextime with a detailed reason", clause: "213.02(A)(1); 213.04 chain",
            request: option(), eligible: true, chainRoles: ["supervisor", "division_head", "hr_director"]),
        Scenario(
            name: "bargaining unit 4 employee", clause: "Applicability; 213.03(A)",
            request: option(employee: titled(unit: "4")), eligible: false, violations: ["madoc-bargaining-unit-4"]),
        Scenario(
            name: "bargaining unit 2 employee", clause: "Applicability; 213.03(A)",
            request: option(employee: titled(unit: "2")), eligible: true),
        Scenario(
            name: "steam fireman", clause: "Applicability; 213.03(A): 24-hour shift coverage titles",
            request: option(employee: titled("Steam Fireman")), eligible: false,
            violations: ["madoc-24-hour-shift-coverage"]),
        Scenario(
            name: "correctional program officer", clause: "213.03(A): 24-hour shift coverage titles",
            request: option("staggered_hours", employee: titled("Correctional Program Officer B")), eligible: false,
            violations: ["madoc-24-hour-shift-coverage"]),
        Scenario(
            name: "remote work request", clause: "213.02(A): the four options offered; no remote work",
            request: option("remote_work"), eligible: false, violations: ["arrangement_type.not_offered"]),
        Scenario(
            name: "\"personal reasons\" alone", clause: "Attachment #1: personal reasons alone not sufficient",
            request: option(justification: "Personal reasons."), eligible: false, violations: ["flextime.justification"]
        ),
        Scenario(
            name: "\"family reasons\" alone", clause: "Attachment #1: family reasons alone not sufficient",
            request: option("job_sharing", justification: "For family reasons"), eligible: false,
            violations: ["job_sharing.justification"]),
        Scenario(
            name: "personal and family reasons together", clause: "Attachment #1",
            request: option(justification: "personal and family reasons"), eligible: false,
            violations: ["flextime.justification"]),
        Scenario(
            name: "family reasons with the details", clause: "Attachment #1: state in detail why",
            request: option(justification: "Family reasons: I care for my mother after her surgery on Tuesdays"),
            eligible: true),
        Scenario(
            name: "no justification", clause: "Attachment #1: state in detail which option and why",
            request: option(justification: nil), eligible: false, violations: ["flextime.justification"]),
        Scenario(
            name: "part-time below half-time", clause: "213.02(A)(3): at least half-time",
            request: option("part_time") { $0.fields["hours_per_week"] = "15" }, eligible: false,
            violations: ["madoc-part-time-at-least-half-time"]),
        Scenario(
            name: "part-time at half-time", clause: "213.02(A)(3): at least half-time",
            request: option("part_time") { $0.fields["hours_per_week"] = "18.75" }, eligible: true),
        Scenario(
            name: "pending performance action", clause: "213.03(A): may be excluded",
            request: option(employee: F.employee(class: "staff") { $0.pendingPerformanceAction = true }),
            eligible: true, warnings: ["madoc-pending-performance-action"]),
        Scenario(
            name: "discipline 6 months ago", clause: "213.03(A): previous twelve months",
            request: option(employee: F.employee(class: "staff") { $0.monthsSinceLastDiscipline = 6 }),
            eligible: true, warnings: ["madoc-recent-discipline"]),
        Scenario(
            name: "headquarters flextime starting 6:30", clause: "213.02(A)(1): bandwidth 7:00 a.m. - 6:00 p.m.",
            request: option(employee: F.employee(class: "staff", department: "headquarters")) {
                $0.fields = ["start_time": "06:30", "end_time": "15:00"]
            }, eligible: false, violations: ["flextime.schedule_window"]),
    ]

    @Test("scenario", arguments: scenarios)
    func scenario(_ row: Scenario) throws {
        row.check(with: try F.engine("ma-doc"))
    }

    @Test("withdrawal needs 5 business days, counted over the Presidents' Day Monday")
    func withdrawalOverHoliday() throws {
        let engine = try F.engine("ma-doc")
        func check(_ effective: String) -> NoticeCheck {
            engine.checkNotice(
                NoticeRequest(
                    arrangementType: "flextime", action: .withdrawal,
                    noticeGivenOn: F.date("2025-02-11"), effectiveOn: F.date(effective)))
        }
        // Tue 11 → Wed 12, Thu 13, Fri 14, (Mon 17 Presidents' Day), Tue 18, Wed 19.
        #expect(!check("2025-02-18").ok)
        #expect(check("2025-02-18").violations.first?.ruleId == "flextime.notice.withdrawal")
        #expect(check("2025-02-18").violations.first?.citation?.hasPrefix("103 DOC 213.06") == true)
        #expect(check("2025-02-19").ok)
        #expect(check("2025-02-19").earliestEffectiveDate?.description == "2025-02-19")
    }

    @Test("at least one month in the program before withdrawing")
    func minimumParticipation() throws {
        let engine = try F.engine("ma-doc")
        let early = engine.checkNotice(
            NoticeRequest(
                arrangementType: "part_time", action: .withdrawal,
                noticeGivenOn: F.date("2025-02-10"), effectiveOn: F.date("2025-02-24"),
                arrangementStart: F.date("2025-02-03")))
        #expect(early.violations.map(\.ruleId) == ["part_time.min_participation"])
        #expect(early.earliestEffectiveDate?.description == "2025-03-03")
    }

    @Test("evaluation every six months")
    func reviews() throws {
        let dates = try F.engine("ma-doc").reviewDates(
            arrangementType: "flextime", activatedOn: F.date("2025-01-31"),
            through: F.date("2026-02-01"))
        #expect(dates.map(\.description) == ["2025-07-31", "2026-01-31"])
    }

    @Test("complaints go to the Director of Employee Relations")
    func complaintRecipients() throws {
        let recipients = try F.engine("ma-doc").recipients(forAlert: "complaint", department: "mci_norfolk")
        #expect(recipients.map(\.role) == ["employee_relations_director"])
        #expect(recipients.first?.email == "employee-relations@example.gov")
    }
}
