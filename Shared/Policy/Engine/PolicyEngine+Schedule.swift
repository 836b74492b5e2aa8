extension PolicyEngine {
    /// Review dates of an arrangement activated on `activatedOn`, up to `through` (and not
    /// after `endsOn`): the first after `first_after_months`, then every `every_months`.
    public func reviewDates(
        arrangementType: String, activatedOn: CivilDate, through: CivilDate,
        endsOn: CivilDate? = nil
    ) -> [CivilDate] {
        guard let review = types[arrangementType]?.review else { return [] }
        let limit = min(through, endsOn ?? through)
        var dates: [CivilDate] = []
        var months = review.firstAfterMonths
        while true {
            let date = activatedOn.adding(months: months)
            guard date <= limit else { break }
            dates.append(date)
            guard let every = review.everyMonths else { break }
            months += every
        }
        return dates
    }

    /// The last day of a time-limited arrangement and the day its notice is due: the type's
    /// `max_duration`, or a rejecting location rule with a stay threshold that applies to the
    /// request (Mines classified out of state: 6 months), whichever ends first. `nil` when
    /// nothing limits it.
    public func expiry(for request: ArrangementRequest) -> ArrangementExpiry? {
        guard let type = types[request.arrangementType] else { return nil }
        var limits: [(lastDay: CivilDate, ruleId: String, citation: String?)] = []
        if let span = type.maxDuration {
            limits.append(
                (span.after(request.startDate, on: calendar).adding(days: -1), "\(type.id).max_duration", type.source))
        }
        if let location = request.location {
            let conditions = ConditionEvaluator(facts: RequestFacts(request: request, engine: self), ratings: ratings)
            for rule in policy.location?.rules ?? []
            where rule.effect == .reject && rule.moreThan != nil
                && ruleApplies(rule, type, request, conditions) && inScope(rule, location)
            {
                if let months = rule.moreThan?.consecutiveMonths {
                    limits.append((request.startDate.adding(months: months).adding(days: -1), rule.id, rule.source))
                } else if let days = rule.moreThan?.consecutiveDays {
                    limits.append((request.startDate.adding(days: days - 1), rule.id, rule.source))
                }
            }
        }
        guard let limit = limits.min(by: { $0.lastDay < $1.lastDay }) else { return nil }
        let lastDay = min(limit.lastDay, request.endDate ?? limit.lastDay)
        let notice = policy.expiryNotice ?? Span(calendarDays: 30)
        return ArrangementExpiry(
            lastDay: lastDay, noticeOn: max(notice.before(lastDay, on: calendar), request.startDate),
            ruleId: limit.ruleId, citation: limit.citation)
    }
}
