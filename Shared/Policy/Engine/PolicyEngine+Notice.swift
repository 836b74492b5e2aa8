extension PolicyEngine {
    /// Checks a notice given on `noticeGivenOn` for a change of `arrangementType` taking effect
    /// on `effectiveOn` (convenience for `checkNotice(_:)`).
    public func checkNotice(
        arrangementType: String, action: NoticeAction, noticeGivenOn: CivilDate,
        effectiveOn: CivilDate, arrangementStart: CivilDate? = nil, employee: Employee? = nil,
        mutuallyAgreed: Bool? = nil
    ) -> NoticeCheck {
        checkNotice(
            NoticeRequest(
                arrangementType: arrangementType, action: action, noticeGivenOn: noticeGivenOn,
                effectiveOn: effectiveOn, arrangementStart: arrangementStart, employee: employee,
                mutuallyAgreed: mutuallyAgreed))
    }

    /// Checks a withdrawal, termination or imposed transition against the type's notice
    /// periods (business or calendar days, possibly conditional) and minimum participation.
    public func checkNotice(_ notice: NoticeRequest) -> NoticeCheck {
        guard let type = types[notice.arrangementType] else {
            return NoticeCheck(ok: false, earliestEffectiveDate: nil, violations: [unknownType(notice.arrangementType)])
        }
        let conditions = ConditionEvaluator(facts: RequestFacts(notice: notice, engine: self), ratings: ratings)
        var violations: [RuleViolation] = []
        var earliest: CivilDate?
        if notice.effectiveOn < notice.noticeGivenOn {
            violations.append(
                RuleViolation(
                    ruleId: "notice.dates",
                    message: "The effective date \(notice.effectiveOn) is before the notice (\(notice.noticeGivenOn)).",
                    field: "/effective_on"))
        }
        for rule in type.notices ?? [] where rule.action == notice.action && conditions.holds(rule.when) {
            let required: CivilDate
            let phrase: String
            if let days = rule.businessDays {
                required = calendar.adding(businessDays: days, to: notice.noticeGivenOn)
                phrase = Span.plural(days, "business day")
            } else {
                required = notice.noticeGivenOn.adding(days: rule.calendarDays ?? 0)
                phrase = Span.plural(rule.calendarDays ?? 0, "calendar day")
            }
            earliest = max(earliest ?? required, required)
            guard notice.effectiveOn < required else { continue }
            violations.append(
                RuleViolation(
                    ruleId: "\(type.id).notice.\(notice.action.rawValue)",
                    message:
                        "A \(notice.action.rawValue) of \(type.name) needs \(phrase)' notice: given on \(notice.noticeGivenOn), "
                        + "it can take effect on \(required) at the earliest, not \(notice.effectiveOn)"
                        + PolicyEngine.cite(rule.source) + ".",
                    field: "/effective_on", citation: rule.source))
        }
        if notice.action == .withdrawal, let start = notice.arrangementStart, let span = type.minParticipation {
            let minimumEnd = span.after(start, on: calendar)
            earliest = max(earliest ?? minimumEnd, minimumEnd)
            if notice.effectiveOn < minimumEnd {
                violations.append(
                    RuleViolation(
                        ruleId: "\(type.id).min_participation",
                        message: "Participants stay in \(type.name) for at least \(span.phrase): started on \(start), "
                            + "it can end on \(minimumEnd) at the earliest" + PolicyEngine.cite(type.source) + ".",
                        field: "/effective_on", citation: type.source))
            }
        }
        return NoticeCheck(ok: violations.isEmpty, earliestEffectiveDate: earliest, violations: violations)
    }
}
