extension PolicyValidator {
    /// Eligibility rules: unique ids, known types, a step for `extra_approval`.
    func checkEligibility(_ found: inout ProblemList) {
        let rules = policy.eligibility ?? []
        found.duplicates(rules.map(\.id), path: [.key("eligibility")], what: "rule id", key: "id")
        for (index, rule) in rules.enumerated() {
            let path: Path = [.key("eligibility"), .index(index)]
            checkTypeReferences(rule.appliesTo, path + [.key("applies_to")], &found)
            checkCondition(rule.when, path + [.key("when")], &found)
            switch (rule.outcome, rule.step) {
            case (.extraApproval, nil):
                found.add(path + [.key("step")], "outcome extra_approval needs a step; expected step: {id, role}")
            case (.extraApproval, let step?):
                checkStep(step, path + [.key("step")], &found)
            case (_, _?):
                found.add(path + [.key("step")], "a step is only used with outcome extra_approval")
            default:
                break
            }
        }
    }

    /// Location rules: region groups, scopes with their regions, effects with what they need.
    func checkLocation(_ found: inout ProblemList) {
        let groups = policy.location?.regionGroups ?? []
        found.duplicates(
            groups.map(\.id), path: [.key("location"), .key("region_groups")], what: "group id", key: "id")
        for (index, group) in groups.enumerated() {
            checkRegions(
                group.regions, [.key("location"), .key("region_groups"), .index(index), .key("regions")], &found)
        }
        let rules = policy.location?.rules ?? []
        found.duplicates(rules.map(\.id), path: [.key("location"), .key("rules")], what: "rule id", key: "id")
        let eligibilityIds = Set((policy.eligibility ?? []).map(\.id))
        for (index, rule) in rules.enumerated() {
            let path: Path = [.key("location"), .key("rules"), .index(index)]
            if eligibilityIds.contains(rule.id) {
                found.add(
                    path + [.key("id")], "rule id \"\(rule.id)\" is also an eligibility rule id; expected unique ids")
            }
            checkLocationRule(rule, path, &found)
        }
    }

    private func checkLocationRule(_ rule: LocationRule, _ path: Path, _ found: inout ProblemList) {
        let hasList = rule.regions != nil
        let hasGroup = rule.regionGroup != nil
        if rule.scope == .outsideRegions, hasList == hasGroup {
            found.add(path, "scope outside_regions needs exactly one of regions, region_group")
        } else if rule.scope != .outsideRegions, hasList || hasGroup {
            found.add(path + [.key("scope")], "regions/region_group are only used with scope outside_regions")
        }
        if let regions = rule.regions { checkRegions(regions, path + [.key("regions")], &found) }
        if let group = rule.regionGroup, !regionGroupIds.contains(group) {
            found.add(
                path + [.key("region_group")],
                "unknown region group \"\(group)\"; expected one of "
                    + regionGroupIds.sorted().joined(separator: ", "))
        }
        if let threshold = rule.moreThan {
            let units = [threshold.consecutiveDays, threshold.consecutiveMonths, threshold.daysPerYear].compactMap {
                $0
            }
            if units.count != 1 || units.contains(where: { $0 < 0 }) {
                found.add(
                    path + [.key("more_than")],
                    "expected exactly one of consecutive_days, consecutive_months, days_per_year (zero or more)")
            }
        }
        checkTypeReferences(rule.appliesTo, path + [.key("applies_to")], &found)
        checkClasses(rule.employeeClasses, path + [.key("employee_classes")], &found)
        if let when = rule.when { checkCondition(when, path + [.key("when")], &found) }
        checkLocationEffect(rule, path, &found)
    }

    private func checkLocationEffect(_ rule: LocationRule, _ path: Path, _ found: inout ProblemList) {
        switch (rule.effect, rule.step) {
        case (.addStep, nil):
            found.add(path + [.key("step")], "effect add_step needs a step; expected step: {id, role}")
        case (.addStep, let step?):
            checkStep(step, path + [.key("step")], &found)
        case (_, _?):
            found.add(path + [.key("step")], "a step is only used with effect add_step")
        default:
            break
        }
        for (index, key) in (rule.recipients ?? []).enumerated() {
            checkRole(key, path + [.key("recipients"), .index(index)], &found)
        }
        let routed = (policy.alertRoutes ?? []).contains { $0.kind == rule.kind }
        if rule.effect == .alert, (rule.recipients ?? []).isEmpty, !routed {
            found.add(
                path + [.key("recipients")],
                "effect alert needs recipients; expected recipients here or an alert_routes entry for \"\(rule.kind)\"")
        }
    }

    private func checkRegions(_ regions: [String], _ path: Path, _ found: inout ProblemList) {
        for (index, region) in regions.enumerated() where !PolicyValidator.isJurisdiction(region) {
            found.add(
                path + [.index(index)],
                "invalid jurisdiction \"\(region)\"; expected COUNTRY-REGION such as US-NJ, or a country such as CA")
        }
    }
}
