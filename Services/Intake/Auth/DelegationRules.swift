import Policy

/// What a tenant's policy says about delegating a role: the delegator must hold it, some step
/// of the policy with that role must be delegable, and the delegate must hold one of the roles
/// the step may be delegated to (any designee when the step names none).
struct DelegationRules {
    let policy: TenantPolicy

    func check(role: String, delegator: String, delegate: String, department: String?) throws(APIProblem) {
        guard let definition = policy.roles.first(where: { $0.key == role }) else {
            throw APIProblem.validation([
                .init(
                    pointer: "/role",
                    message:
                        "\(policy.name) has no role \"\(role)\"; it has \(policy.roles.map(\.key).joined(separator: ", "))"
                )
            ])
        }
        guard holds(definition, delegator, department: department) else {
            throw APIProblem(
                .forbidden,
                "\(delegator) does not hold the \(role) role\(department.map { " for \($0)" } ?? "") in \(policy.name)'s directory, so cannot delegate it."
            )
        }
        let steps = allSteps().filter { $0.role == role && ($0.delegable ?? !($0.delegateRoles ?? []).isEmpty) }
        guard !steps.isEmpty else {
            throw violation(
                "\(policy.name)'s policy does not allow the \(role) role to be delegated.",
                ruleId: "delegation.not_allowed")
        }
        let allowedRoles = Set(steps.flatMap { $0.delegateRoles ?? [] })
        guard
            allowedRoles.isEmpty
                || allowedRoles.contains(where: { key in
                    policy.roles.first { $0.key == key }.map { holds($0, delegate, department: department) } ?? false
                })
        else {
            throw violation(
                "The \(role) role may be delegated only to holders of \(allowedRoles.sorted().joined(separator: " or ")); \(delegate) holds none of them.",
                ruleId: "delegation.delegate_not_allowed", citation: steps.first?.source)
        }
    }

    /// The tenant's chain and the steps its rules may add.
    private func allSteps() -> [ApprovalStepDefinition] {
        policy.chain + (policy.location?.rules ?? []).compactMap(\.step) + (policy.eligibility ?? []).compactMap(\.step)
    }

    private func holds(_ role: RoleDefinition, _ email: String, department: String?) -> Bool {
        if role.fromRequest == true { return true }  // a supervisor is named on each request
        if let department, let holder = role.departments?[department] { return EmailIdentity.same(holder, email) }
        if let holder = role.email, EmailIdentity.same(holder, email) { return true }
        return department == nil && (role.departments ?? [:]).values.contains { EmailIdentity.same($0, email) }
    }

    private func violation(_ message: String, ruleId: String, citation: String? = nil) -> APIProblem {
        APIProblem(
            .policyViolation, message, errors: [.init(pointer: "/role", message: message, ruleId: ruleId)],
            violations: [RuleViolation(ruleId: ruleId, message: message, field: "/role", citation: citation)])
    }
}
