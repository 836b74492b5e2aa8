import Foundation
import Testing

@testable import Policy

/// Loads the real tenant files from `deploy/tenants` and builds requests for scenarios.
enum TenantFixtures {
    /// The repository root, found from this file's path.
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("deploy/tenants").path) { return url }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    }()

    static let tenantIds = ["mit", "mines", "ma-doc", "rutgers", "univ-f400"]

    static func fileURL(_ tenant: String) -> URL {
        repositoryRoot.appendingPathComponent("deploy/tenants/\(tenant).yaml")
    }

    static func policy(_ tenant: String) throws -> TenantPolicy {
        try TenantFile.load(contentsOf: fileURL(tenant)).get()
    }

    static func engine(_ tenant: String) throws -> PolicyEngine {
        PolicyEngine(policy: try policy(tenant))
    }

    static func date(_ text: String) -> CivilDate {
        try! CivilDate(parsing: text)
    }

    static func employee(
        class employeeClass: String = "staff", department: String = "general",
        configure: (inout Employee) -> Void = { _ in }
    ) -> Employee {
        var employee = Employee(
            email: "employee@example.edu", name: "Pat Example", department: department,
            employeeClass: employeeClass)
        configure(&employee)
        return employee
    }

    static func request(
        _ type: String, employee: Employee = employee(), start: String = "2025-03-03",
        end: String? = nil, submitted: String = "2025-02-03",
        configure: (inout ArrangementRequest) -> Void = { _ in }
    ) -> ArrangementRequest {
        var request = ArrangementRequest(
            arrangementType: type, employee: employee,
            supervisorEmail: "supervisor@example.edu",
            startDate: date(start), submittedOn: date(submitted))
        request.endDate = end.map(date)
        configure(&request)
        return request
    }
}

/// One row of a scenario table: a request and what the policy says about it.
struct Scenario: Sendable, CustomTestStringConvertible {
    let name: String
    /// The clause of the source text the row checks.
    let clause: String
    let request: ArrangementRequest
    let eligible: Bool
    var violations: [String] = []
    var notViolations: [String] = []
    var warnings: [String] = []
    var chainRoles: [String]?
    var findings: [String] = []
    var noFindings = false

    var testDescription: String { "\(name) — \(clause)" }

    /// Checks the engine's evaluation against the row.
    func check(with engine: PolicyEngine) {
        let result = engine.evaluate(request)
        let violated = result.violations.map(\.ruleId)
        #expect(result.eligible == eligible, "\(name): violations \(result.violations.map(\.message))")
        for id in violations { #expect(violated.contains(id), "\(name): expected violation \(id), got \(violated)") }
        for id in notViolations { #expect(!violated.contains(id), "\(name): unexpected violation \(id)") }
        for id in warnings {
            #expect(
                result.warnings.map(\.ruleId).contains(id),
                "\(name): expected warning \(id), got \(result.warnings.map(\.ruleId))")
        }
        if let chainRoles { #expect(result.chain.map(\.role) == chainRoles, "\(name): chain") }
        for id in findings {
            #expect(
                result.findings.map(\.ruleId).contains(id),
                "\(name): expected finding \(id), got \(result.findings.map(\.ruleId))")
        }
        if noFindings {
            #expect(result.findings.isEmpty, "\(name): unexpected findings \(result.findings.map(\.ruleId))")
        }
        for violation in result.violations where violation.citation == nil && violation.ruleId != "request.dates" {
            Issue.record("\(name): violation \(violation.ruleId) has no citation")
        }
    }
}
