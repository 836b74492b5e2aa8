extension PolicyEngine {
    /// Nobody approves their own request, whatever the tenant file says: a request that names its
    /// employee as supervisor is refused; a step whose role the employee holds goes to a role the
    /// step may be delegated to, else to its escalation role (and up that role's escalations), held
    /// by someone else; an escalation that would reach the employee goes one role further up. A
    /// step with nobody else to decide it refuses the request (fail closed): the tenant must name
    /// another holder.
    func keepEmployeeOffChain(
        _ chain: inout [ChainStep], _ request: ArrangementRequest,
        _ outcome: inout EvaluationBuilder
    ) {
        let employee = Self.identity(request.employee.email)
        if Self.identity(request.supervisorEmail) == employee {
            outcome.violate(
                RuleViolation(
                    ruleId: "chain.self_approval",
                    message:
                        "The supervisor named on the request is the employee; nobody approves their own request. Name the employee's supervisor.",
                    field: "/supervisor_email"))
            return
        }
        let department = request.employee.department
        for index in chain.indices {
            if let email = chain[index].approverEmail, Self.identity(email) == employee {
                let candidates = chain[index].delegableTo + escalationRoles(from: chain[index].role)
                let replacement = candidates.lazy.compactMap { role -> (String, String)? in
                    guard
                        let holder = self.approver(
                            forRole: role, department: department, supervisorEmail: request.supervisorEmail),
                        Self.identity(holder) != employee
                    else { return nil }
                    return (role, holder)
                }.first
                guard let (role, holder) = replacement else {
                    outcome.violate(
                        RuleViolation(
                            ruleId: "chain.self_approval",
                            message:
                                "The employee holds the \(chain[index].role) role that decides step \(chain[index].stepId), and the policy names nobody else who may decide it (no delegate or escalation role with another holder); nobody approves their own request.",
                            citation: chain[index].citation))
                    continue
                }
                outcome.warn(
                    RuleViolation(
                        ruleId: "chain.self_approval",
                        message:
                            "The employee holds the \(chain[index].role) role, so step \(chain[index].stepId) goes to the \(role), \(holder)."
                    ))
                chain[index].approverEmail = holder
            }
            if let email = chain[index].escalationEmail, Self.identity(email) == employee {
                let next = chain[index].escalationRole.map { escalationRoles(from: $0) } ?? []
                let replacement = next.lazy.compactMap { role -> (String, String)? in
                    guard
                        let holder = self.approver(
                            forRole: role, department: department, supervisorEmail: request.supervisorEmail),
                        Self.identity(holder) != employee
                    else { return nil }
                    return (role, holder)
                }.first
                chain[index].escalationRole = replacement?.0
                chain[index].escalationEmail = replacement?.1
            }
        }
    }

    /// The roles above `role` by `escalates_to`, nearest first, without cycles.
    func escalationRoles(from role: String) -> [String] {
        var seen: Set<String> = [role]
        var result: [String] = []
        var current = roles[role]?.escalatesTo
        while let next = current, seen.insert(next).inserted {
            result.append(next)
            current = roles[next]?.escalatesTo
        }
        return result
    }

    /// An email as an identity: ASCII letters lowercased, every other byte as it is (Unicode case
    /// folding would let a look-alike such as the Kelvin sign stand for a `k`).
    public static func identity(_ email: String) -> String {
        String(decoding: email.utf8.map(ASCIIText.lowercased), as: UTF8.self)
    }
}
