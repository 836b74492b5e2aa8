extension PolicyEngine {
    /// Location rules: where the request would have the employee work, for how long, and
    /// what that triggers (refusal, an added step, alerts).
    func checkLocation(
        _ type: ArrangementType, _ request: ArrangementRequest, _ facts: RequestFacts,
        _ conditions: ConditionEvaluator, _ outcome: inout EvaluationBuilder
    ) {
        guard let location = request.location else { return }
        for rule in policy.location?.rules ?? []
        where ruleApplies(rule, type, request, conditions)
            && inScope(rule, location) && exceedsThreshold(rule.moreThan, request, facts)
        {
            let keys = rule.recipients ?? routes[rule.kind] ?? []
            let finding = ComplianceFinding(
                ruleId: rule.id, kind: rule.kind, jurisdiction: location.jurisdiction, effect: rule.effect,
                recipients: recipients(keys, department: request.employee.department),
                message: rule.message + PolicyEngine.cite(rule.source), citation: rule.source)
            outcome.findings.append(finding)
            switch rule.effect {
            case .reject:
                outcome.violate(
                    RuleViolation(
                        ruleId: rule.id, message: finding.message, field: "/location",
                        citation: rule.source))
            case .addStep:
                if let step = rule.step { outcome.addedSteps.append((step, rule.id)) }
            case .alert:
                break
            }
        }
    }

    /// Whether the rule concerns this type, employee class and request.
    func ruleApplies(
        _ rule: LocationRule, _ type: ArrangementType, _ request: ArrangementRequest,
        _ conditions: ConditionEvaluator
    ) -> Bool {
        if let types = rule.appliesTo, !types.contains(type.id) { return false }
        if let classes = rule.employeeClasses,
            !classes.contains(where: { TextMatch.equal($0, request.employee.employeeClass) })
        {
            return false
        }
        return conditions.holds(rule.when)
    }

    /// Whether `location` is in the rule's scope.
    func inScope(_ rule: LocationRule, _ location: WorkLocation) -> Bool {
        let sameCountry = TextMatch.equal(location.country, policy.home.country)
        let sameRegion = sameCountry && TextMatch.equal(location.region ?? "", policy.home.region)
        switch rule.scope {
        case .outsideHomeRegion: return !sameRegion
        case .domesticOutOfRegion: return sameCountry && !sameRegion
        case .international: return !sameCountry
        case .outsideRegions:
            let allowed = rule.regions ?? rule.regionGroup.flatMap { regionGroups[$0] } ?? []
            return !allowed.contains { TextMatch.covers($0, country: location.country, region: location.region) }
        }
    }

    /// Whether the stay is longer than the threshold (an open-ended stay exceeds any).
    func exceedsThreshold(_ threshold: StayThreshold?, _ request: ArrangementRequest, _ facts: RequestFacts) -> Bool {
        guard let threshold else { return true }
        if let days = threshold.consecutiveDays {
            guard let length = facts.durationDays else { return true }
            return length > days
        }
        if let months = threshold.consecutiveMonths {
            guard let end = request.endDate else { return true }
            return end >= request.startDate.adding(months: months)
        }
        if let perYear = threshold.daysPerYear {
            let yearEnd = CivilDate(year: request.startDate.year, month: 12, day: 31)!
            let last = min(request.endDate ?? yearEnd, yearEnd)
            let stay = request.startDate.days(until: last) + 1
            return (request.priorUsage?.daysAwayThisYear ?? 0) + stay > perYear
        }
        return true
    }
}
