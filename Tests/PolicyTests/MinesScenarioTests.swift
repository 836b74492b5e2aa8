import Testing

@testable import Policy

/// Colorado School of Mines (FWA Policy & Procedures): scenarios against deploy/tenants/mines.yaml.
@Suite("Mines scenarios")
struct MinesScenarioTests {
    typealias F = TenantFixtures

    static func staff(
        _ employeeClass: String = "administrative_faculty", months: Int = 12,
        rating: String = "meets_expectations"
    ) -> Employee {
        F.employee(class: employeeClass, department: "geology") { employee in
            employee.monthsEmployed = months
            employee.lastRating = rating
        }
    }

    static func remote(
        _ employee: Employee = staff(), region: String = "CO", end: String? = "2025-12-31",
        configure: (inout ArrangementRequest) -> Void = { _ in }
    ) -> ArrangementRequest {
        F.request("remote_work", employee: employee, start: "2025-03-03", end: end) { request in
            request.remoteDaysPerWeek = 2
            request.location = WorkLocation(country: "US", region: region)
            request.fields = [
                "alternate_location_conducive": "Quiet home office with a door and fibre internet",
                "job_requirements": "Analysis work is portable", "department_impact": "None",
            ]
            request.attestations = [
                "no_primary_care_during_work_hours": true, "colorado_permanent_residence": true,
                "temporary_out_of_state_confirmed": true,
            ]
            configure(&request)
        }
    }

    static let scenarios: [Scenario] = [
        Scenario(
            name: "remote work in Colorado",
            clause: "Exhibit 1 §2.4: supervisor → dean/director/department head → VP/provost",
            request: remote(), eligible: true, chainRoles: ["supervisor", "department_head", "vice_president"],
            noFindings: true),
        Scenario(
            name: "no word on how the location is conducive", clause: "Exhibit 1 §2.2(A)",
            request: remote { $0.fields["alternate_location_conducive"] = " " }, eligible: false,
            violations: ["remote_work.field.alternate_location_conducive"]),
        Scenario(
            name: "faculty working from Arizona",
            clause: "Policy §3.0, Exhibit 1 §2.5: HR approves out-of-state status before the VP",
            request: remote(region: "AZ"), eligible: true,
            chainRoles: ["supervisor", "department_head", "hr", "vice_president"], findings: ["mines-out-of-state"]),
        Scenario(
            name: "classified out of state for 6 months", clause: "Exhibit 1 §2.5(A): no more than six months",
            request: remote(staff("classified"), region: "WY", end: "2025-09-02"), eligible: true,
            notViolations: ["mines-classified-temporary-limit"], findings: ["mines-out-of-state"]),
        Scenario(
            name: "classified out of state for 7 months", clause: "Exhibit 1 §2.5(A): no more than six months",
            request: remote(staff("classified"), region: "WY", end: "2025-10-02"), eligible: false,
            violations: ["mines-classified-temporary-limit"]),
        Scenario(
            name: "classified out of state one day past six months", clause: "Exhibit 1 §2.5(A)",
            request: remote(staff("classified"), region: "WY", end: "2025-09-03"), eligible: false,
            violations: ["mines-classified-temporary-limit"]),
        Scenario(
            name: "classified out of state without the written confirmations", clause: "Exhibit 1 §2.5(A) bullets",
            request: remote(staff("classified"), region: "WY", end: "2025-06-30") { $0.attestations = [:] },
            eligible: false,
            violations: [
                "remote_work.attestation.colorado_permanent_residence",
                "remote_work.attestation.temporary_out_of_state_confirmed",
            ]),
        Scenario(
            name: "employed 2 months", clause: "Exhibit 1 §2.1(A): minimum of 3 months",
            request: remote(staff(months: 2)), eligible: false, violations: ["mines-minimum-tenure"]),
        Scenario(
            name: "employed 3 months", clause: "Exhibit 1 §2.1(A): minimum of 3 months",
            request: remote(staff(months: 3)), eligible: true, notViolations: ["mines-minimum-tenure"]),
        Scenario(
            name: "employed 2 months with a case-by-case exception",
            clause: "Exhibit 1 §2.1(A): unless approved case by case",
            request: remote(staff(months: 2)) { $0.attestations["tenure_exception_approved"] = true }, eligible: true),
        Scenario(
            name: "rating below meets expectations", clause: "Exhibit 1 §2.1(A): Meets Expectations or better",
            request: remote(staff(rating: "Needs Improvement")), eligible: false, violations: ["mines-rating"]),
        Scenario(
            name: "rating exceeds expectations", clause: "Exhibit 1 §2.1(A): Meets Expectations or better",
            request: remote(staff(rating: "Exceeds Expectations")), eligible: true),
        Scenario(
            name: "three remote days a week", clause: "Exhibit 1 §2.8: no dedicated workspace under three office days",
            request: remote { $0.remoteDaysPerWeek = 3 }, eligible: true, warnings: ["mines-dedicated-workspace"]),
        Scenario(
            name: "remote work with no end date", clause: "Exhibit 1 §2.4: agreements are time-specific",
            request: remote(end: nil), eligible: true, warnings: ["remote_work.end_date"]),
        Scenario(
            name: "flextime", clause: "Policy §6.0 Flextime; Exhibit 1 §2.4 chain",
            request: F.request("flextime", employee: staff()), eligible: true,
            chainRoles: ["supervisor", "department_head", "vice_president"]),
    ]

    @Test("scenario", arguments: scenarios)
    func scenario(_ row: Scenario) throws {
        row.check(with: try F.engine("mines"))
    }

    @Test("10 business days for the supervisor and the department head, approvers by department")
    func slaAndApprovers() throws {
        let result = try F.engine("mines").evaluate(Self.remote(region: "AZ"))
        #expect(result.chain.map(\.slaBusinessDays) == [10, 10, 10, 10])
        // Submitted Mon 2025-02-03: +10 business days = Mon 2025-02-17, then Mon 2025-03-03.
        #expect(result.chain.map(\.dueDate.description).prefix(2) == ["2025-02-17", "2025-03-03"])
        #expect(
            result.chain.map(\.approverEmail) == [
                "supervisor@example.edu", "geology-head@example.edu",
                "hr@example.edu", "provost@example.edu",
            ])
        #expect(result.chain[2].addedBy == "mines-out-of-state")
        let finding = try #require(result.findings.first)
        #expect(finding.recipients.map(\.role) == ["risk_management", "controller"])
    }

    @Test("classified out of state: expiry after six months with a notice date; termination needs 30 days")
    func expiryAndTermination() throws {
        let engine = try F.engine("mines")
        let expiry = try #require(engine.expiry(for: Self.remote(Self.staff("classified"), region: "WY", end: nil)))
        #expect(expiry.lastDay.description == "2025-09-02")
        #expect(expiry.noticeOn.description == "2025-08-03")
        #expect(expiry.ruleId == "mines-classified-temporary-limit")
        let late = engine.checkNotice(
            NoticeRequest(
                arrangementType: "remote_work", action: .termination,
                noticeGivenOn: F.date("2025-03-01"), effectiveOn: F.date("2025-03-30")))
        #expect(!late.ok && late.earliestEffectiveDate?.description == "2025-03-31")
        let onTime = engine.checkNotice(
            NoticeRequest(
                arrangementType: "remote_work", action: .termination,
                noticeGivenOn: F.date("2025-03-01"), effectiveOn: F.date("2025-03-31")))
        #expect(onTime.ok)
    }
}
