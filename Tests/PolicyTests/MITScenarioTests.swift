import Testing

@testable import Policy

/// MIT (EPM 3.1, P&P 7.10): scenarios against deploy/tenants/mit.yaml.
@Suite("MIT scenarios")
struct MITScenarioTests {
    typealias F = TenantFixtures

    static func offsite(
        _ type: String = "hybrid", country: String = "US", region: String? = "MA",
        start: String = "2025-03-03", end: String? = nil,
        employee: Employee = F.employee(class: "administrative"),
        configure: (inout ArrangementRequest) -> Void = { _ in }
    ) -> ArrangementRequest {
        F.request(type, employee: employee, start: start, end: end) { request in
            request.remoteDaysPerWeek = type == "hybrid" ? 2 : nil
            request.location = WorkLocation(country: country, region: region)
            request.attestations = ["no_regular_dependent_care": true, "free_from_distractions": true]
            configure(&request)
        }
    }

    static let scenarios: [Scenario] = [
        Scenario(
            name: "hybrid in Massachusetts", clause: "EPM 3.1: department head and direct supervisor approve",
            request: offsite(), eligible: true, chainRoles: ["supervisor", "department_head"], noFindings: true),
        Scenario(
            name: "off-site while regularly caring for a dependent", clause: "EPM 3.1 off-site work details",
            request: offsite { $0.attestations["no_regular_dependent_care"] = false }, eligible: false,
            violations: ["hybrid.attestation.no_regular_dependent_care"]),
        Scenario(
            name: "fully remote from Connecticut", clause: "P&P 7.10: payroll notified, HR officer brought in",
            request: offsite("fully_remote", region: "CT"), eligible: true,
            chainRoles: ["supervisor", "department_head"], findings: ["mit-out-of-state"]),
        Scenario(
            name: "international for exactly 30 consecutive days",
            clause: "P&P 7.10: longer than 30 days needs the Provost",
            request: offsite("fully_remote", country: "FR", region: nil, end: "2025-04-01"), eligible: true,
            chainRoles: ["supervisor", "department_head"], findings: ["mit-international"]),
        Scenario(
            name: "international for 31 consecutive days", clause: "P&P 7.10: longer than 30 days needs the Provost",
            request: offsite("fully_remote", country: "FR", region: nil, end: "2025-04-02"), eligible: true,
            chainRoles: ["supervisor", "department_head", "provost"],
            findings: ["mit-international", "mit-international-over-30-days"]),
        Scenario(
            name: "California for exactly three months",
            clause: "P&P 7.10: more than three consecutive months outside New England",
            request: offsite("fully_remote", region: "CA", end: "2025-06-02"), eligible: true,
            findings: ["mit-out-of-state"]),
        Scenario(
            name: "union employee", clause: "Work Planning Protocols FAQ: toolkit not for union employees",
            request: offsite(employee: F.employee(class: "service") { $0.coveredByCollectiveAgreement = true }),
            eligible: false, violations: ["mit-union-employees"]),
        Scenario(
            name: "faculty member", clause: "EPM 3.1: non-academic staff",
            request: offsite(employee: F.employee(class: "faculty")), eligible: false,
            violations: ["mit-non-academic-staff"]),
        Scenario(
            name: "flextime", clause: "EPM 3.1: flex time, both approvals",
            request: F.request("flextime", employee: F.employee(class: "support")), eligible: true,
            chainRoles: ["supervisor", "department_head"], noFindings: true),
        Scenario(
            name: "a type MIT does not define", clause: "EPM 3.1 lists the types",
            request: F.request("sabbatical"), eligible: false, violations: ["arrangement_type.unknown"]),
    ]

    @Test("scenario", arguments: scenarios)
    func scenario(_ row: Scenario) throws {
        row.check(with: try F.engine("mit"))
    }

    @Test("out of state alerts payroll and the HR officer by email and webhook")
    func outOfStateRecipients() throws {
        let result = try F.engine("mit").evaluate(Self.offsite("fully_remote", region: "CT"))
        let finding = try #require(result.findings.first { $0.ruleId == "mit-out-of-state" })
        #expect(finding.kind == "out_of_home_region")
        #expect(finding.jurisdiction == "US-CT")
        #expect(finding.effect == .alert)
        #expect(finding.recipients.map(\.role) == ["payroll", "hr_officer"])
        #expect(finding.recipients[0].email == "payroll@example.edu")
        #expect(finding.recipients[0].webhookURL == "https://hooks.example.edu/mit/payroll")
        #expect(finding.message.contains("(P&P 7.10"))
    }

    @Test("more than three months outside New England alerts the Benefits Office")
    func benefitsOffice() throws {
        let result = try F.engine("mit").evaluate(Self.offsite("fully_remote", region: "CA", end: "2025-06-03"))
        let finding = try #require(result.findings.first { $0.ruleId == "mit-outside-new-england-over-3-months" })
        #expect(finding.recipients.map(\.role) == ["benefits_office"])
        #expect(finding.recipients.first?.email == "benefits@example.edu")
        let notEnrolled = Self.offsite(
            "fully_remote", region: "CA", end: "2025-06-03",
            employee: F.employee(class: "administrative") { $0.participatesInHealthPlan = false })
        #expect(try F.engine("mit").evaluate(notEnrolled).findings.map(\.ruleId) == ["mit-out-of-state"])
    }

    @Test("the provost step is delegable to the EVP and Treasurer and is added by the 30-day rule")
    func provostStep() throws {
        let result = try F.engine("mit").evaluate(
            Self.offsite("fully_remote", country: "IN", region: nil, end: "2025-05-30"))
        let step = try #require(result.chain.last)
        #expect(step.role == "provost" && step.approverEmail == "provost@example.edu")
        #expect(step.addedBy == "mit-international-over-30-days")
        #expect(step.delegable && step.delegableTo == ["evp_treasurer"])
        let finding = try #require(result.findings.first { $0.ruleId == "mit-international-over-30-days" })
        #expect(finding.effect == .addStep && finding.recipients.map(\.role) == ["hr_officer"])
    }

    @Test("two distinct approvers: department head delegable, same person routed to a delegate")
    func distinctApprovers() throws {
        let engine = try F.engine("mit")
        let normal = engine.evaluate(Self.offsite(employee: F.employee(class: "administrative", department: "physics")))
        #expect(normal.distinctApprovers)
        #expect(normal.chain.map(\.approverEmail) == ["supervisor@example.edu", "physics-head@example.edu"])
        #expect(normal.chain[1].delegableTo == ["administrative_officer", "hr_administrator"])
        var same = Self.offsite(employee: F.employee(class: "administrative", department: "physics"))
        same.supervisorEmail = "physics-head@example.edu"
        let result = engine.evaluate(same)
        #expect(result.chain.map(\.approverEmail) == ["physics-head@example.edu", "physics-ao@example.edu"])
        #expect(result.warnings.map(\.ruleId).contains("chain.distinct_approvers"))
    }

    @Test("reviews: first after 3 months, then yearly")
    func reviews() throws {
        let dates = try F.engine("mit").reviewDates(
            arrangementType: "hybrid", activatedOn: F.date("2025-01-15"),
            through: F.date("2027-12-31"))
        #expect(dates.map(\.description) == ["2025-04-15", "2026-04-15", "2027-04-15"])
    }
}
