extension PolicyEngine {
    /// The type's own limits: classes, remote days, dates, lead time, duration, combination
    /// and yearly cap.
    func checkLimits(
        _ type: ArrangementType, _ request: ArrangementRequest, _ facts: RequestFacts,
        _ outcome: inout EvaluationBuilder
    ) {
        if let classes = type.employeeClasses,
            !classes.contains(where: { TextMatch.equal($0, request.employee.employeeClass) })
        {
            outcome.violate(
                RuleViolation(
                    ruleId: "\(type.id).employee_classes",
                    message:
                        "\(type.name) is open to \(classes.joined(separator: ", ")) employees, not \(request.employee.employeeClass)"
                        + PolicyEngine.cite(type.source) + ".",
                    field: "/employee/employee_class", citation: type.source))
        }
        checkRemoteDays(type, request, &outcome)
        checkDates(type, request, &outcome)
        checkCombination(type, request, &outcome)
        checkYearlyCap(type, request, &outcome)
    }

    private func checkRemoteDays(
        _ type: ArrangementType, _ request: ArrangementRequest,
        _ outcome: inout EvaluationBuilder
    ) {
        guard let range = type.remoteDaysPerWeek else { return }
        let allowed = "\(range.min ?? 0)–\(range.max ?? 7)"
        guard let days = request.remoteDaysPerWeek else {
            outcome.violate(
                RuleViolation(
                    ruleId: "\(type.id).remote_days",
                    message: "\(type.name) needs the number of remote days per week ("
                        + allowed + ")" + PolicyEngine.cite(range.source ?? type.source) + ".",
                    field: "/remote_days_per_week", citation: range.source ?? type.source))
            return
        }
        if let low = range.min, days < low {
            outcome.violate(
                RuleViolation(
                    ruleId: "\(type.id).remote_days.min",
                    message: "\(type.name) has at least \(low) remote days per week, not \(days)"
                        + PolicyEngine.cite(range.source ?? type.source) + ".",
                    field: "/remote_days_per_week", citation: range.source ?? type.source))
        }
        if let high = range.max, days > high {
            outcome.violate(
                RuleViolation(
                    ruleId: "\(type.id).remote_days.max",
                    message: "\(type.name) allows at most \(high) remote days per week, not \(days)"
                        + PolicyEngine.cite(range.source ?? type.source) + ".",
                    field: "/remote_days_per_week", citation: range.source ?? type.source))
        }
    }

    private func checkDates(_ type: ArrangementType, _ request: ArrangementRequest, _ outcome: inout EvaluationBuilder)
    {
        if let end = request.endDate, end < request.startDate {
            outcome.violate(
                RuleViolation(
                    ruleId: "request.dates",
                    message: "The end date \(end) is before the start date \(request.startDate).",
                    field: "/end_date"))
        }
        let emergency = request.isEmergency ?? false
        if request.startDate < request.submittedOn, !emergency {
            outcome.violate(
                RuleViolation(
                    ruleId: "request.in_advance",
                    message:
                        "Arrangements are approved in advance: the start date \(request.startDate) is before the request (\(request.submittedOn))"
                        + PolicyEngine.cite(policy.source) + ".",
                    field: "/start_date", citation: policy.source))
        }
        if request.endDate == nil, let rule = type.endDate, rule != .optional {
            let entry = RuleViolation(
                ruleId: "\(type.id).end_date",
                message:
                    "\(type.name) agreements are time-specific: give an end date (a date for review and reconsideration)"
                    + PolicyEngine.cite(type.source) + ".",
                field: "/end_date", citation: type.source)
            if rule == .required { outcome.violate(entry) } else { outcome.warn(entry) }
        }
        checkAdvance(type, request, &outcome)
        if let span = type.maxDuration, let end = request.endDate {
            let lastDay = span.after(request.startDate, on: calendar).adding(days: -1)
            if end > lastDay {
                outcome.violate(
                    RuleViolation(
                        ruleId: "\(type.id).max_duration",
                        message: "\(type.name) lasts at most \(span.phrase) (until \(lastDay)), not until \(end)"
                            + PolicyEngine.cite(type.source) + ".",
                        field: "/end_date", citation: type.source))
            }
        }
    }

    private func checkAdvance(
        _ type: ArrangementType, _ request: ArrangementRequest, _ outcome: inout EvaluationBuilder
    ) {
        guard let advance = type.advanceRequest else { return }
        if advance.waivedInEmergency == true, request.isEmergency == true { return }
        let earliest: CivilDate
        let phrase: String
        if let days = advance.businessDays {
            earliest = calendar.adding(businessDays: days, to: request.submittedOn)
            phrase = Span.plural(days, "business day")
        } else {
            let days = advance.calendarDays ?? 0
            earliest = request.submittedOn.adding(days: days)
            phrase = Span.plural(days, "calendar day")
        }
        guard request.startDate < earliest else { return }
        outcome.violate(
            RuleViolation(
                ruleId: "\(type.id).advance_request",
                message: "\(type.name) must be requested at least \(phrase) in advance"
                    + (advance.waivedInEmergency == true ? " unless in an emergency" : "")
                    + ": requested on \(request.submittedOn), the earliest start is \(earliest), not \(request.startDate)"
                    + PolicyEngine.cite(advance.source ?? type.source) + ".",
                field: "/start_date", citation: advance.source ?? type.source))
    }

    private func checkCombination(
        _ type: ArrangementType, _ request: ArrangementRequest,
        _ outcome: inout EvaluationBuilder
    ) {
        let others = (request.combinedWith ?? []).filter { $0 != type.id }
        guard !others.isEmpty else { return }
        if type.combinable == false {
            outcome.violate(
                RuleViolation(
                    ruleId: "\(type.id).combinable",
                    message:
                        "\(type.name) cannot be combined with any other arrangement (here: \(others.joined(separator: ", ")))"
                        + PolicyEngine.cite(type.source) + ".",
                    field: "/combined_with", citation: type.source))
        }
        for other in others {
            guard let otherType = types[other], otherType.combinable == false else { continue }
            outcome.violate(
                RuleViolation(
                    ruleId: "\(otherType.id).combinable",
                    message: "\(otherType.name) cannot be combined with any other arrangement, so not with \(type.name)"
                        + PolicyEngine.cite(otherType.source) + ".",
                    field: "/combined_with", citation: otherType.source))
        }
    }
}
