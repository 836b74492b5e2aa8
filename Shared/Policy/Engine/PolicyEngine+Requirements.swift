extension PolicyEngine {
    /// Required fields and attestations, the justification and the schedule window.
    func checkRequirements(
        _ type: ArrangementType, _ request: ArrangementRequest, _ conditions: ConditionEvaluator,
        _ outcome: inout EvaluationBuilder
    ) {
        for requirement in type.requirements ?? [] where conditions.holds(requirement.when) {
            let present: Bool
            let pointer: String
            switch requirement.kind {
            case .attestation:
                present = request.attestations[requirement.key] == true
                pointer = "/attestations/" + requirement.key
            case .field:
                present = !(request.fields[requirement.key]?.trimmingSpaces.isEmpty ?? true)
                pointer = "/fields/" + requirement.key
            }
            guard !present else { continue }
            let entry = RuleViolation(
                ruleId: "\(type.id).\(requirement.kind.rawValue).\(requirement.key)",
                message: "Required \(requirement.kind.rawValue) missing: \(requirement.label)"
                    + PolicyEngine.cite(requirement.source) + ".",
                field: pointer, citation: requirement.source)
            if requirement.severity == .warning { outcome.warn(entry) } else { outcome.violate(entry) }
        }
        checkJustification(type, request, &outcome)
        checkScheduleWindow(type, request, conditions, &outcome)
    }

    private func checkJustification(
        _ type: ArrangementType, _ request: ArrangementRequest,
        _ outcome: inout EvaluationBuilder
    ) {
        guard let rule = type.justification else { return }
        let text = request.justification ?? ""
        let words = JustificationText.words(text)
        if words.isEmpty {
            if rule.required == true {
                outcome.violate(
                    RuleViolation(
                        ruleId: "\(type.id).justification",
                        message: "State in detail which option you request and why" + PolicyEngine.cite(rule.source)
                            + ".",
                        field: "/justification", citation: rule.source))
            }
            return
        }
        let phrases = rule.insufficientAlone ?? []
        guard !phrases.isEmpty, JustificationText.onlyPhrases(words, phrases) else { return }
        outcome.violate(
            RuleViolation(
                ruleId: "\(type.id).justification",
                message: "\"" + phrases.joined(separator: "\" or \"") + "\" alone are not sufficient reasons; "
                    + "explain the request in detail" + PolicyEngine.cite(rule.source) + ".",
                field: "/justification", citation: rule.source))
    }

    private func checkScheduleWindow(
        _ type: ArrangementType, _ request: ArrangementRequest,
        _ conditions: ConditionEvaluator, _ outcome: inout EvaluationBuilder
    ) {
        guard let window = type.scheduleWindow, conditions.holds(window.when) else { return }
        for (key, isStart) in [("start_time", true), ("end_time", false)] {
            guard let text = request.fields[key] else { continue }
            guard let time = TimeOfDay(parsing: String(text.trimmingSpaces)) else {
                outcome.violate(
                    RuleViolation(
                        ruleId: "\(type.id).schedule_window",
                        message: "\(key) \"\(text)\" is not a time; expected HH:MM.",
                        field: "/fields/" + key, citation: window.source))
                continue
            }
            let outside = isStart ? time < window.start : time > window.end
            guard outside else { continue }
            outcome.violate(
                RuleViolation(
                    ruleId: "\(type.id).schedule_window",
                    message:
                        "The schedule must fit the bandwidth \(window.start)–\(window.end); \(key) \(time) does not"
                        + PolicyEngine.cite(window.source) + ".",
                    field: "/fields/" + key, citation: window.source))
        }
    }
}
