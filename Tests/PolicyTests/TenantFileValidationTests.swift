import Foundation
import Testing

@testable import Policy

/// Validation of tenant files: every problem, with file, line, column, path and expectation.
@Suite("Tenant file validation")
struct TenantFileValidationTests {
    /// A small valid file; tests change one line of it.
    static let base = """
        id: demo
        name: Demo University
        time_zone: America/New_York
        home: {country: US, region: MA}
        roles:
          - key: supervisor
            from_request: true
            escalates_to: department_head
          - key: department_head
            email: head@example.edu
          - key: provost
            email: provost@example.edu
        chain:
          - id: supervisor
            role: supervisor
            sla_business_days: 5
          - id: department_head
            role: department_head
          - id: provost
            role: provost
        arrangement_types:
          - id: hybrid
            name: Hybrid
            remote: true
        """

    static func problems(_ yaml: String, file: String = "demo.yaml") -> [PolicyProblem] {
        switch TenantFile.parse(yaml: yaml, fileName: file) {
        case .success: return []
        case .failure(let problems): return problems.problems
        }
    }

    static func replacing(_ old: String, with new: String) -> String {
        precondition(base.contains(old), "fixture has no \(old)")
        return base.replacingOccurrences(of: old, with: new)
    }

    @Test("the base file is valid")
    func baseIsValid() {
        #expect(Self.problems(Self.base).isEmpty)
    }

    @Test("a step naming an undefined role gives path, line, column and the roles expected")
    func undefinedRole() throws {
        let problems = Self.problems(Self.replacing("    role: provost", with: "    role: provst"), file: "mit.yaml")
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.path == "chain[2].role")
        #expect(problem.line == 20 && problem.column == 5)
        #expect(
            problem.description
                == "mit.yaml:20:5: chain[2].role: unknown role \"provst\"; expected one of supervisor, department_head, provost"
        )
    }

    @Test("an unknown key is an error, with its line")
    func unknownKey() throws {
        let problems = Self.problems(Self.replacing("    sla_business_days: 5", with: "    sla_busines_days: 5"))
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.path == "chain[0].sla_busines_days")
        #expect(problem.line == 16 && problem.column == 5)
        #expect(
            problem.message.hasPrefix(
                "unknown key \"sla_busines_days\"; expected one of id, role, when, sla_business_days"))
    }

    @Test("a wrong type names what was expected")
    func wrongType() throws {
        let problems = Self.problems(Self.replacing("sla_business_days: 5", with: "sla_business_days: five"))
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.path == "chain[0].sla_business_days")
        #expect(problem.line == 16)
        #expect(problem.message == "expected an integer, got \"five\"")
    }

    @Test("an escalation cycle is reported where it closes")
    func escalationCycle() throws {
        let yaml = Self.replacing(
            "    email: head@example.edu", with: "    email: head@example.edu\n    escalates_to: supervisor")
        let problem = try #require(Self.problems(yaml).first)
        #expect(problem.path == "roles[0].escalates_to")
        #expect(problem.line == 8 && problem.column == 5)
        #expect(problem.message.hasPrefix("escalation cycle: supervisor → department_head → supervisor"))
    }

    @Test("an empty chain is an error")
    func emptyChain() throws {
        let start = Self.base.range(of: "chain:\n")!.lowerBound
        let end = Self.base.range(of: "arrangement_types:")!.lowerBound
        let yaml = Self.base.replacingCharacters(in: start..<end, with: "chain: []\n")
        let problems = Self.problems(yaml)
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.path == "chain")
        #expect(problem.line == 13 && problem.column == 1)
        #expect(problem.message == "the approval chain is empty; expected at least one step")
    }

    @Test("every problem is reported, not only the first")
    func everyProblem() {
        var yaml = Self.replacing("time_zone: America/New_York", with: "time_zone: America/Nowhere")
        yaml = yaml.replacingOccurrences(of: "    role: provost", with: "    role: provst")
        yaml = yaml.replacingOccurrences(of: "    remote: true", with: "    remote: yes\n    colour: blue")
        let problems = Self.problems(yaml)
        #expect(
            problems.map(\.path) == [
                "time_zone", "chain[2].role", "arrangement_types[0].remote",
                "arrangement_types[0].colour",
            ])
        #expect(problems.map(\.line) == [3, 20, 24, 25])
    }

    @Test("duplicate ids, unknown condition fields and operators, bad dates")
    func referenceProblems() {
        let yaml =
            Self.base + """

                holidays:
                  - {id: x, month: 2, day: 30}
                  - {id: x, date: 2025-13-01}
                eligibility:
                  - id: r1
                    when: {field: employee.clas, op: eq, value: faculty}
                    outcome: ineligible
                    message: m
                  - id: r2
                    when: {field: employee.exempt, op: equals, value: false}
                    outcome: warning
                    message: m
                """
        let problems = Self.problems(yaml)
        let byPath = Dictionary(problems.map { ($0.path, $0.message) }, uniquingKeysWith: { $0 + " | " + $1 })
        #expect(byPath["holidays[0].day"]?.contains("invalid day 30 for month 2") == true)
        #expect(byPath["holidays[1].id"]?.contains("duplicate holiday id \"x\"") == true)
        #expect(byPath["holidays[1].date"]?.contains("invalid date \"2025-13-01\"") == true)
        #expect(byPath["eligibility[0].when.field"]?.hasPrefix("unknown condition field \"employee.clas\"") == true)
        #expect(byPath["eligibility[1].when.op"]?.hasPrefix("unknown value \"equals\"; expected one of eq, ne") == true)
    }

    @Test("a missing required key and a YAML syntax error are located")
    func missingKeyAndSyntax() throws {
        let missing = Self.problems(Self.replacing("    role: department_head\n", with: ""))
        #expect(missing.map(\.path) == ["chain[1].role"])
        #expect(missing.first?.line == 17)
        let syntax = Self.problems("id: demo\nname: [unclosed\n")
        #expect(syntax.count == 1 && syntax.first?.line != nil)
    }

    @Test("JSON problems carry JSON pointers and no line")
    func jsonPointers() throws {
        let json = """
            {"id": "demo", "name": "Demo", "time_zone": "America/New_York", "home": {"country": "US", "region": "MA"},
             "roles": [{"key": "supervisor", "from_request": true}],
             "chain": [{"id": "s", "role": "supervisr", "sla_business_days": "5"}],
             "arrangement_types": [{"id": "hybrid", "name": "Hybrid"}]}
            """
        let result = TenantFile.parse(json: Data(json.utf8), fileName: "demo.json")
        guard case .failure(let problems) = result else {
            Issue.record("expected problems")
            return
        }
        #expect(Set(problems.problems.map(\.path)) == ["/chain/0/role", "/chain/0/sla_business_days"])
        #expect(problems.problems.allSatisfy { $0.line == nil })
        let byPath = Dictionary(problems.problems.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byPath["/chain/0/sla_business_days"]?.message == "expected an integer, got \"5\"")
        #expect(
            byPath["/chain/0/role"]?.description.hasPrefix("demo.json: /chain/0/role: unknown role \"supervisr\"")
                == true)
    }
}
