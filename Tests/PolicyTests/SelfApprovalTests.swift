import Testing

@testable import Policy

/// Nobody approves their own request, in every tenant, whatever its file says.
@Suite("Self-approval")
struct SelfApprovalTests {
    typealias F = TenantFixtures

    static let cases: [(tenant: String, type: String)] = F.tenantIds.flatMap { tenant in
        ((try? F.policy(tenant))?.arrangementTypes ?? []).map { (tenant, $0.id) }
    }

    @Test("a request naming the employee as supervisor is refused, in any letter case", arguments: cases)
    func supervisorIsEmployee(_ tenant: String, _ type: String) throws {
        let engine = try F.engine(tenant)
        for supervisor in ["employee@example.edu", "Employee@EXAMPLE.edu"] {
            let own = engine.evaluate(F.request(type) { $0.supervisorEmail = supervisor })
            #expect(!own.eligible)
            let violation = own.violations.first { $0.ruleId == "chain.self_approval" }
            #expect(violation?.field == "/supervisor_email", "\(tenant) \(type): \(own.violations.map(\.ruleId))")
        }
        let other = engine.evaluate(F.request(type))
        #expect(!other.violations.contains { $0.ruleId == "chain.self_approval" })
    }

    /// For every role of a tenant's directory that a chain step names, the holder (in the
    /// default department) files a request: no step and no escalation goes to them.
    @Test(
        "an employee holding a role of their own chain never approves or receives its escalation",
        arguments: F.tenantIds)
    func employeeHoldsARole(_ tenant: String) throws {
        let policy = try F.policy(tenant)
        let engine = PolicyEngine(policy: policy)
        var checked = 0
        for type in policy.arrangementTypes {
            let holders = Set(
                policy.chain.compactMap { step in
                    engine.approver(forRole: step.role, department: "general", supervisorEmail: nil)
                })
            for holder in holders {
                let request = F.request(type.id, employee: F.employee { $0.email = holder })
                let result = engine.evaluate(request)
                let refused = result.violations.contains { $0.ruleId == "chain.self_approval" }
                for step in result.chain {
                    // A step left with the employee refuses the request; any other goes to someone else.
                    if step.approverEmail.map(PolicyEngine.identity) == holder {
                        #expect(
                            refused && !result.eligible, "\(tenant) \(type.id): \(step.stepId) goes to the employee")
                    } else if step.role != "supervisor",
                        engine.approver(forRole: step.role, department: "general", supervisorEmail: nil) == holder
                    {
                        #expect(
                            result.warnings.contains { $0.ruleId == "chain.self_approval" },
                            "\(tenant) \(type.id): \(step.stepId) rerouted silently")
                    }
                    #expect(
                        step.escalationEmail.map(PolicyEngine.identity) != holder,
                        "\(tenant) \(type.id): \(step.stepId) escalates to the employee")
                }
                checked += 1
            }
        }
        #expect(checked > 0, "\(tenant): no chain role has a holder in the directory")
    }

    @Test(
        "MIT: a department head's own request goes to their delegate roles' holder (EPM 3.1, Work Planning Step Four)")
    func mitDepartmentHead() throws {
        let engine = try F.engine("mit")
        let request = F.request(
            "hybrid",
            employee: F.employee(class: "administrative", department: "physics") {
                $0.email = "physics-head@example.edu"
            }
        ) { request in
            request.remoteDaysPerWeek = 2
            request.location = WorkLocation(country: "US", region: "MA")
            request.attestations = ["no_regular_dependent_care": true, "free_from_distractions": true]
        }
        let result = engine.evaluate(request)
        #expect(result.eligible, "\(result.violations.map(\.message))")
        let head = result.chain.first { $0.role == "department_head" }
        #expect(head?.approverEmail == "physics-ao@example.edu")
        #expect(
            result.warnings.contains {
                $0.ruleId == "chain.self_approval" && $0.message.contains("physics-ao@example.edu")
            })
        // The supervisor's step escalates to the department head, who is the employee: one role further up, or nobody.
        let supervisor = result.chain.first { $0.role == "supervisor" }
        #expect(supervisor?.escalationEmail != "physics-head@example.edu")
    }

    @Test("a step only the employee can decide refuses the request (fail closed), even with distinct_approvers off")
    func nobodyElse() throws {
        var policy = try F.policy("mit")
        policy.distinctApprovers = false
        policy.chain = [ApprovalStepDefinition(id: "hr_only", role: "hr_officer", source: "test clause")]
        policy.roles = policy.roles.map { role in
            var role = role
            if role.key == "hr_officer" { role.escalatesTo = nil }
            return role
        }
        let engine = PolicyEngine(policy: policy)
        let request = F.request(
            "flextime", employee: F.employee(class: "administrative") { $0.email = "HR-Officer@example.edu" })
        let result = engine.evaluate(request)
        #expect(!result.eligible)
        #expect(result.violations.contains { $0.ruleId == "chain.self_approval" && $0.citation == "test clause" })
        let someoneElse = engine.evaluate(F.request("flextime", employee: F.employee(class: "administrative")))
        #expect(!someoneElse.violations.contains { $0.ruleId == "chain.self_approval" })
    }

    @Test("identities fold ASCII letters only: the Kelvin sign is not a k")
    func asciiIdentity() {
        #expect(PolicyEngine.identity("Kim@Example.EDU") == "kim@example.edu")
        #expect(PolicyEngine.identity("\u{212A}im@example.edu") != "kim@example.edu")
    }
}
