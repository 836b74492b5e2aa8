extension PolicyEngine {
    /// The year (calendar or fiscal) containing `date`, as first and last day.
    public func capYear(containing date: CivilDate, kind: YearKind) -> (first: CivilDate, last: CivilDate) {
        let start =
            kind == .fiscal ? (policy.fiscalYearStart ?? MonthDay(month: 1, day: 1)!) : MonthDay(month: 1, day: 1)!
        var first = start.date(in: date.year)
        if first > date { first = start.date(in: date.year - 1) }
        return (first, first.adding(years: 1).adding(days: -1))
    }

    /// Checks the type's yearly cap in every cap year the request touches, counting prior use.
    func checkYearlyCap(_ type: ArrangementType, _ request: ArrangementRequest, _ outcome: inout EvaluationBuilder) {
        guard let cap = type.yearlyCap else { return }
        if cap.months != nil, request.endDate == nil {
            outcome.violate(
                RuleViolation(
                    ruleId: "\(type.id).yearly_cap",
                    message: "\(type.name) is limited per \(cap.year.rawValue) year, so it needs an end date"
                        + PolicyEngine.cite(cap.source ?? type.source) + ".",
                    field: "/end_date", citation: cap.source ?? type.source))
            return
        }
        let end = max(request.endDate ?? request.startDate, request.startDate)
        var windowStart = request.startDate
        while windowStart <= end {
            let year = capYear(containing: windowStart, kind: cap.year)
            let last = min(end, year.last)
            checkCapWindow(type, cap, request, year: year, requested: (windowStart, last), &outcome)
            windowStart = year.last.adding(days: 1)
        }
    }

    private func checkCapWindow(
        _ type: ArrangementType, _ cap: YearlyCap, _ request: ArrangementRequest,
        year: (first: CivilDate, last: CivilDate),
        requested: (first: CivilDate, last: CivilDate), _ outcome: inout EvaluationBuilder
    ) {
        let holdsStart = year.first <= request.startDate && request.startDate <= year.last
        let priorDates = (request.priorUsage?.dates ?? []).filter {
            $0 >= year.first && $0 <= year.last && !($0 >= requested.first && $0 <= requested.last)
        }
        let used: Int
        let asked: Int
        let limit: Int
        let unit: String
        if let months = cap.months {
            let prior = priorDates.count + (holdsStart ? request.priorUsage?.calendarDaysUsed ?? 0 : 0)
            used = prior
            asked = requested.first.days(until: requested.last) + 1
            limit = requested.first.days(until: requested.first.adding(months: months))
            unit = "calendar days (\(Span.plural(months, "month")))"
        } else if let days = cap.calendarDays {
            used = priorDates.count + (holdsStart ? request.priorUsage?.calendarDaysUsed ?? 0 : 0)
            asked = requested.first.days(until: requested.last) + 1
            limit = days
            unit = "calendar days"
        } else {
            let priorBusiness = priorDates.filter { calendar.isBusinessDay($0) }.count
            used = priorBusiness + (holdsStart ? request.priorUsage?.businessDaysUsed ?? 0 : 0)
            asked = calendar.businessDays(from: requested.first, through: requested.last)
            limit = cap.businessDays ?? 0
            unit = "business days"
        }
        guard used + asked > limit else { return }
        outcome.violate(
            RuleViolation(
                ruleId: "\(type.id).yearly_cap",
                message:
                    "\(type.name) is limited to \(limit) \(unit) per \(cap.year.rawValue) year: this request would bring the year "
                    + "from \(year.first) to \(year.last) to \(used + asked) (\(used) already used, \(asked) requested)"
                    + PolicyEngine.cite(cap.source ?? type.source) + ".",
                field: "/end_date", citation: cap.source ?? type.source))
    }
}
