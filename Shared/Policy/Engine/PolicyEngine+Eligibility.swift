extension PolicyEngine {
    /// The tenant's eligibility rules: each that fires refuses the request, adds a step or
    /// warns the approver.
    func checkEligibility(
        _ type: ArrangementType, _ request: ArrangementRequest, _ conditions: ConditionEvaluator,
        _ outcome: inout EvaluationBuilder
    ) {
        if let rating = request.employee.lastRating, !(policy.ratingScale ?? []).isEmpty,
            ratings.rank(of: rating) == nil
        {
            outcome.warn(
                RuleViolation(
                    ruleId: "employee.last_rating",
                    message:
                        "The rating \"\(rating)\" is not on the tenant's rating scale; rules on ratings could not be applied.",
                    field: "/employee/last_rating"))
        }
        for rule in policy.eligibility ?? [] {
            if let appliesTo = rule.appliesTo, !appliesTo.contains(type.id) { continue }
            guard conditions.holds(rule.when) else { continue }
            let entry = RuleViolation(
                ruleId: rule.id, message: rule.message + PolicyEngine.cite(rule.source),
                field: PolicyEngine.pointer(of: rule.when), citation: rule.source)
            switch rule.outcome {
            case .ineligible: outcome.violate(entry)
            case .warning: outcome.warn(entry)
            case .extraApproval:
                outcome.warn(entry)
                if let step = rule.step { outcome.addedSteps.append((step, rule.id)) }
            }
        }
    }

    /// The request field a condition is about, when it tests exactly one.
    static func pointer(of condition: Condition) -> String? {
        switch condition {
        case .test(let test): return pointer(of: test.field)
        case .all(let items), .any(let items):
            let pointers = Set(items.compactMap { pointer(of: $0) })
            return pointers.count == 1 ? pointers.first : nil
        case .not(let inner): return pointer(of: inner)
        }
    }

    static func pointer(of field: ConditionField) -> String? {
        switch field {
        case .employee(let attribute):
            return "/employee/" + (attribute == .employeeClass ? "employee_class" : attribute.rawValue)
        case .request(let attribute):
            switch attribute {
            case .remoteDaysPerWeek, .isEmergency, .combinedWith, .arrangementType: return "/" + attribute.rawValue
            case .locationCountry: return "/location/country"
            case .locationRegion, .locationJurisdiction, .outsideHomeRegion, .outsideHomeCountry: return "/location"
            case .durationDays, .durationMonths: return "/end_date"
            case .noticeBusinessDays, .noticeCalendarDays: return "/start_date"
            case .fteFraction: return "/fields/hours_per_week"
            }
        case .attestation(let key): return "/attestations/" + key
        case .field(let key): return "/fields/" + key
        case .notice: return nil
        }
    }
}
