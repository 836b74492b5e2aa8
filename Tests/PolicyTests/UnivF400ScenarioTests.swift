import Testing

@testable import Policy

/// Policy F.4.00: scenarios against deploy/tenants/univ-f400.yaml.
@Suite("univ-f400 scenarios")
struct UnivF400ScenarioTests {
    typealias F = TenantFixtures

    static func staff(exempt: Bool = true, union: Bool? = nil) -> Employee {
        F.employee(class: "staff", department: "engineering") { employee in
            employee.exempt = exempt
            employee.coveredByCollectiveAgreement = union
        }
    }

    /// A remote day asked on Monday 2025-03-03.
    static func remoteDay(
        on day: String, submitted: String = "2025-03-03", employee: Employee = staff(),
        emergency: Bool? = nil
    ) -> ArrangementRequest {
        F.request("remote_day", employee: employee, start: day, end: day, submitted: submitted) { request in
            request.location = WorkLocation(country: "US", region: "IL")
            request.isEmergency = emergency
        }
    }

    static let scenarios: [Scenario] = [
        Scenario(
            name: "remote day asked 2 business days ahead", clause: "F.4.01: at least two business days in advance",
            request: remoteDay(on: "2025-03-05"), eligible: true, chainRoles: ["supervisor"]),
        Scenario(
            name: "remote day asked 1 business day ahead", clause: "F.4.01: at least two business days in advance",
            request: remoteDay(on: "2025-03-04"), eligible: false, violations: ["remote_day.advance_request"]),
        Scenario(
            name: "remote day asked 1 business day ahead in an emergency",
            clause: "F.4.01: unless emergency circumstances",
            request: remoteDay(on: "2025-03-04", emergency: true), eligible: true),
        Scenario(
            name: "remote Tuesday asked on the Friday before Memorial Day", clause: "F.4.01: business days",
            request: remoteDay(on: "2025-05-27", submitted: "2025-05-23"), eligible: false,
            violations: ["remote_day.advance_request"]),
        Scenario(
            name: "non-exempt remote day", clause: "F.4.01: non-exempt only in exceptional circumstances",
            request: remoteDay(on: "2025-03-05", employee: staff(exempt: false)), eligible: true,
            warnings: ["f400-non-exempt-remote"]),
        Scenario(
            name: "employee under a collective agreement", clause: "F.4.00: not for employees covered by a CBA",
            request: remoteDay(on: "2025-03-05", employee: staff(union: true)), eligible: false,
            violations: ["f400-collective-agreement"]),
        Scenario(
            name: "flextime", clause: "F.4.02: Vice Provost/President or Dean; exceptional cases",
            request: F.request("flextime", employee: staff()), eligible: true,
            warnings: ["f400-flextime-exceptional"], chainRoles: ["supervisor", "vice_provost"]),
        Scenario(
            name: "part-time at 30 hours", clause: "F.4.03: supervisor and Vice Provost; written agreement",
            request: F.request("part_time", employee: staff()) { $0.fields["hours_per_week"] = "30" }, eligible: true,
            warnings: ["f400-written-agreement"], chainRoles: ["supervisor", "vice_provost"]),
        Scenario(
            name: "part-time at 38.75 hours", clause: "F.4.03: less than 38.75 hours",
            request: F.request("part_time", employee: staff()) { $0.fields["hours_per_week"] = "38.75" },
            eligible: false,
            violations: ["f400-part-time-hours"]),
        Scenario(
            name: "reduced schedule of 8 months", clause: "F.4.04: 9 or 10 months",
            request: F.request("reduced_schedule", employee: staff()) { $0.fields["months_per_year"] = "8" },
            eligible: false, violations: ["f400-reduced-schedule-months"]),
        Scenario(
            name: "reduced schedule of 10 months", clause: "F.4.04: 9 or 10 months",
            request: F.request("reduced_schedule", employee: staff()) { $0.fields["months_per_year"] = "10" },
            eligible: true, chainRoles: ["supervisor", "vice_provost"]),
        Scenario(
            name: "compressed week for personal preference", clause: "F.4.02: only for operational needs",
            request: F.request("compressed_workweek", employee: staff()), eligible: false,
            violations: ["compressed_workweek.attestation.operational_need"]),
    ]

    @Test("scenario", arguments: scenarios)
    func scenario(_ row: Scenario) throws {
        row.check(with: try F.engine("univ-f400"))
    }

    @Test("an occupied position moved to part-time gets at least 60 days' notice")
    func sixtyDayNotice() throws {
        let engine = try F.engine("univ-f400")
        func check(_ type: String, _ effective: String, occupied: Bool? = true, agreed: Bool? = nil) -> NoticeCheck {
            var employee = Self.staff()
            employee.positionOccupied = occupied
            return engine.checkNotice(
                NoticeRequest(
                    arrangementType: type, action: .transition,
                    noticeGivenOn: F.date("2025-03-03"), effectiveOn: F.date(effective),
                    employee: employee, mutuallyAgreed: agreed))
        }
        #expect(!check("part_time", "2025-05-01").ok)
        #expect(check("part_time", "2025-05-01").violations.first?.ruleId == "part_time.notice.transition")
        #expect(check("part_time", "2025-05-02").ok)
        #expect(!check("reduced_schedule", "2025-05-01").ok)
        #expect(check("part_time", "2025-03-17", agreed: true).ok)
        #expect(check("part_time", "2025-03-17", occupied: false).ok)
    }
}
