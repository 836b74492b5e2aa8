/// What the engine knows about one request: its own attributes and the ones it derives
/// (duration, where it is relative to home, notice given). Conditions read fields from it.
struct RequestFacts {
    let employee: Employee?
    let request: ArrangementRequest?
    let notice: NoticeRequest?
    let home: HomeJurisdiction
    let fullTimeHours: Double?
    let calendar: BusinessCalendar

    /// Facts of an arrangement request.
    init(request: ArrangementRequest, engine: PolicyEngine) {
        self.employee = request.employee
        self.request = request
        self.notice = nil
        self.home = engine.policy.home
        self.fullTimeHours = engine.policy.fullTimeHoursPerWeek
        self.calendar = engine.calendar
    }

    /// Facts of a notice check.
    init(notice: NoticeRequest, engine: PolicyEngine) {
        self.employee = notice.employee
        self.request = nil
        self.notice = notice
        self.home = engine.policy.home
        self.fullTimeHours = engine.policy.fullTimeHoursPerWeek
        self.calendar = engine.calendar
    }

    /// Calendar days from start through end; `nil` when open-ended.
    var durationDays: Int? {
        guard let request, let end = request.endDate else { return nil }
        return request.startDate.days(until: end) + 1
    }

    /// Whole months from start through end; `nil` when open-ended.
    var durationMonths: Int? {
        guard let request, let end = request.endDate else { return nil }
        var months = 0
        while request.startDate.adding(months: months + 1) <= end.adding(days: 1) { months += 1 }
        return months
    }

    var outsideHomeRegion: Bool {
        guard let location = request?.location else { return false }
        return
            !(TextMatch.equal(location.country, home.country)
            && TextMatch.equal(location.region ?? "", home.region))
    }

    var outsideHomeCountry: Bool {
        guard let location = request?.location else { return false }
        return !TextMatch.equal(location.country, home.country)
    }

    func value(of field: ConditionField) -> FieldValue? {
        switch field {
        case .employee(let attribute): return employee.flatMap { employeeValue(attribute, $0) }
        case .request(let attribute): return request.flatMap { requestValue(attribute, $0) }
        case .notice(let attribute):
            guard let notice else { return nil }
            switch attribute {
            case .action: return .text(notice.action.rawValue)
            case .mutuallyAgreed: return notice.mutuallyAgreed.map(FieldValue.bool)
            }
        case .attestation(let key): return request?.attestations[key].map(FieldValue.bool)
        case .field(let key): return request?.fields[key].map(FieldValue.text)
        }
    }

    private func employeeValue(_ attribute: EmployeeAttribute, _ employee: Employee) -> FieldValue? {
        switch attribute {
        case .employeeClass: return .text(employee.employeeClass)
        case .exempt: return employee.exempt.map(FieldValue.bool)
        case .department: return .text(employee.department)
        case .bargainingUnit: return employee.bargainingUnit.map(FieldValue.text)
        case .jobTitle: return employee.jobTitle.map(FieldValue.text)
        case .monthsEmployed: return employee.monthsEmployed.map { .number(Double($0)) }
        case .lastRating: return employee.lastRating.map(FieldValue.rating)
        case .monthsSinceLastRating: return employee.monthsSinceLastRating.map { .number(Double($0)) }
        case .pendingPerformanceAction: return employee.pendingPerformanceAction.map(FieldValue.bool)
        case .monthsSinceLastDiscipline: return employee.monthsSinceLastDiscipline.map { .number(Double($0)) }
        case .coveredByCollectiveAgreement: return employee.coveredByCollectiveAgreement.map(FieldValue.bool)
        case .positionOccupied: return employee.positionOccupied.map(FieldValue.bool)
        case .participatesInHealthPlan: return employee.participatesInHealthPlan.map(FieldValue.bool)
        case .standardWeeklyHours: return employee.standardWeeklyHours.map(FieldValue.number)
        case .twentyFourHourShift: return employee.twentyFourHourShift.map(FieldValue.bool)
        }
    }

    private func requestValue(_ attribute: RequestAttribute, _ request: ArrangementRequest) -> FieldValue? {
        switch attribute {
        case .arrangementType: return .text(request.arrangementType)
        case .remoteDaysPerWeek: return request.remoteDaysPerWeek.map { .number(Double($0)) }
        case .durationDays: return .number(durationDays.map(Double.init) ?? .infinity)
        case .durationMonths: return .number(durationMonths.map(Double.init) ?? .infinity)
        case .isEmergency: return .bool(request.isEmergency ?? false)
        case .outsideHomeRegion: return .bool(outsideHomeRegion)
        case .outsideHomeCountry: return .bool(outsideHomeCountry)
        case .locationCountry: return request.location.map { .text($0.country) }
        case .locationRegion: return request.location?.region.map(FieldValue.text)
        case .locationJurisdiction: return request.location.map { .text($0.jurisdiction) }
        case .noticeBusinessDays:
            return .number(
                Double(
                    calendar.businessDays(
                        from: request.submittedOn.adding(days: 1),
                        through: request.startDate)))
        case .noticeCalendarDays: return .number(Double(request.submittedOn.days(until: request.startDate)))
        case .combinedWith: return .list(request.combinedWith ?? [])
        case .fteFraction:
            guard let hours = request.fields["hours_per_week"].flatMap(Double.init) else { return nil }
            let fullTime = employee?.standardWeeklyHours ?? fullTimeHours ?? 40
            return .number(hours / fullTime)
        }
    }
}
