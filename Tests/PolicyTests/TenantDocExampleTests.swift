import Foundation
import Testing

@testable import Policy

/// The worked example of docs/tenants.md is a real, valid tenant file.
@Suite("docs/tenants.md worked example")
struct TenantDocExampleTests {
    static func exampleBlocks() throws -> [String] {
        let url = TenantFixtures.repositoryRoot.appendingPathComponent("docs/tenants.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```yaml" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks.filter { $0.hasPrefix("id:") }
    }

    @Test("the example validates and evaluates")
    func example() throws {
        let blocks = try Self.exampleBlocks()
        #expect(blocks.count == 1)
        let yaml = try #require(blocks.first)
        let result = TenantFile.parse(yaml: yaml, fileName: "tenants.md")
        if case .failure(let problems) = result { Issue.record("\(problems)") }
        let engine = PolicyEngine(policy: try result.get())

        var request = TenantFixtures.request(
            "hybrid",
            employee: TenantFixtures.employee(department: "chemistry") {
                $0.monthsEmployed = 12
                $0.lastRating = "meets"
            })
        request.remoteDaysPerWeek = 3
        request.location = WorkLocation(country: "US", region: "IN")
        request.attestations["safe_workspace"] = true
        let evaluation = engine.evaluate(request)
        #expect(evaluation.eligible)
        #expect(evaluation.chain.map(\.approverEmail) == ["supervisor@example.edu", "chem-dean@example.edu"])
        #expect(evaluation.findings.map(\.ruleId) == ["out-of-state"])

        request.location = WorkLocation(country: "US", region: "OH")
        request.employee.lastRating = "unsatisfactory"
        let refused = engine.evaluate(request)
        #expect(refused.violations.map(\.ruleId) == ["allowed-states"])
        #expect(refused.chain.map(\.stepId) == ["supervisor", "dean", "hr_review"])
    }
}
