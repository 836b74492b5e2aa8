extension PolicyValidator {
    /// Role keys are unique, every role has a holder, and references name defined roles.
    func checkRoles(_ found: inout ProblemList) {
        found.duplicates(policy.roles.map(\.key), path: [.key("roles")], what: "role key", key: "key")
        for (index, role) in policy.roles.enumerated() {
            let path: Path = [.key("roles"), .index(index)]
            if !PolicyValidator.isSlug(role.key) {
                found.add(
                    path + [.key("key")], "invalid role key \"\(role.key)\"; expected lowercase letters, digits, _ or -"
                )
            }
            if role.fromRequest != true, role.email == nil, role.webhookUrl == nil, (role.departments ?? [:]).isEmpty {
                found.add(
                    path,
                    "role \"\(role.key)\" has no holder; expected email, departments, webhook_url or from_request: true"
                )
            }
            if let email = role.email, !PolicyValidator.isEmail(email) {
                found.add(path + [.key("email")], "invalid email \"\(email)\"; expected name@domain")
            }
            for (department, email) in (role.departments ?? [:]).sorted(by: { $0.key < $1.key })
            where !PolicyValidator.isEmail(email) {
                found.add(
                    path + [.key("departments"), .key(department)], "invalid email \"\(email)\"; expected name@domain")
            }
            if let url = role.webhookUrl, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                found.add(path + [.key("webhook_url")], "invalid webhook URL \"\(url)\"; expected an http(s) URL")
            }
            checkRole(role.escalatesTo, path + [.key("escalates_to")], &found)
        }
        for (index, route) in (policy.alertRoutes ?? []).enumerated() {
            let path: Path = [.key("alert_routes"), .index(index)]
            if route.recipients.isEmpty { found.add(path + [.key("recipients")], "no recipients; expected role keys") }
            for (position, key) in route.recipients.enumerated() {
                checkRole(key, path + [.key("recipients"), .index(position)], &found)
            }
        }
        found.duplicates(
            (policy.alertRoutes ?? []).map(\.kind), path: [.key("alert_routes")], what: "alert kind", key: "kind")
    }

    /// The chain is not empty, step ids are unique, and steps name defined roles.
    func checkChain(_ found: inout ProblemList) {
        if policy.chain.isEmpty {
            found.add([.key("chain")], "the approval chain is empty; expected at least one step")
        }
        found.duplicates(policy.chain.map(\.id), path: [.key("chain")], what: "step id", key: "id")
        for (index, step) in policy.chain.enumerated() {
            let path: Path = [.key("chain"), .index(index)]
            checkStep(step, path, &found)
            if step.before != nil || step.after != nil {
                found.add(path, "before/after place steps added by rules; a chain step is placed by its order")
            }
        }
    }

    /// Checks one step definition (of the chain or added by a rule).
    func checkStep(_ step: ApprovalStepDefinition, _ path: Path, _ found: inout ProblemList) {
        checkRole(step.role, path + [.key("role")], &found)
        checkRole(step.escalationRole, path + [.key("escalation_role")], &found)
        if let role = step.escalationRole, role == step.role {
            found.add(path + [.key("escalation_role")], "a step cannot escalate to its own role \"\(role)\"")
        }
        for (index, role) in (step.delegateRoles ?? []).enumerated() {
            checkRole(role, path + [.key("delegate_roles"), .index(index)], &found)
        }
        if step.delegable == false, !(step.delegateRoles ?? []).isEmpty {
            found.add(path + [.key("delegate_roles")], "delegate_roles given but delegable is false")
        }
        if let sla = step.slaBusinessDays, sla < 0 {
            found.add(path + [.key("sla_business_days")], "expected zero or more business days, got \(sla)")
        }
        for (key, target) in [("before", step.before), ("after", step.after)] {
            if let target, !chainStepIds.contains(target) {
                found.add(
                    path + [.key(key)],
                    "unknown step \"\(target)\"; expected one of "
                        + policy.chain.map(\.id).joined(separator: ", "))
            }
        }
        if let when = step.when { checkCondition(when, path + [.key("when")], &found) }
    }

    func checkRole(_ key: String?, _ path: Path, _ found: inout ProblemList) {
        guard let key, !roleKeys.contains(key) else { return }
        found.add(path, "unknown role \"\(key)\"; expected one of \(expectedRoles())")
    }

    /// Escalation must end: following `escalates_to` (and a step's `escalation_role`) from a
    /// role must never come back to it.
    func checkEscalationCycles(_ found: inout ProblemList) {
        var next: [String: String] = [:]
        for role in policy.roles { if let target = role.escalatesTo { next[role.key] = target } }
        var reported = Set<String>()
        var edges: [(from: String, to: String, path: Path)] = policy.roles.enumerated().compactMap { index, role in
            role.escalatesTo.map { (role.key, $0, [.key("roles"), .index(index), .key("escalates_to")]) }
        }
        for (index, step) in policy.chain.enumerated() {
            if let target = step.escalationRole, target != step.role {
                edges.append((step.role, target, [.key("chain"), .index(index), .key("escalation_role")]))
            }
        }
        for edge in edges {
            var trail = [edge.from, edge.to]
            var current = edge.to
            while let following = next[current], trail.count <= policy.roles.count + 1 {
                trail.append(following)
                if following == edge.from { break }
                current = following
            }
            guard trail.last == edge.from else { continue }
            let signature = Set(trail).sorted().joined(separator: ",")
            guard reported.insert(signature).inserted else { continue }
            found.add(
                edge.path,
                "escalation cycle: " + trail.joined(separator: " → ")
                    + "; expected escalation to end at a role that escalates to no one")
        }
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }
}
