import Policy

/// Checks a submission's fields (what the generated code does not: lengths, patterns, ranges,
/// dates) and turns it into the policy engine's `ArrangementRequest`.
enum SubmissionMapping {
    /// The engine's request, or `422 validation` listing every field at fault.
    static func request(_ body: Components.Schemas.RequestSubmission, submittedOn: CivilDate) throws(APIProblem)
        -> ArrangementRequest
    {
        var check = Validator()
        checkEmployee(body.employee, &check)
        check.email(body.supervisorEmail, "/supervisor_email")
        check.key(body.arrangementType, "/arrangement_type")
        check.range(body.remoteDaysPerWeek.map(Int.init), "/remote_days_per_week", 0...7)
        check.length(body.schedule, "/schedule", max: 2000, multiline: true)
        check.length(body.justification, "/justification", max: 4000, multiline: true)
        if let location = body.location { checkLocation(location, &check) }
        let start = check.date(body.startDate, "/start_date")
        let end = check.date(body.endDate, "/end_date")
        check.order(start, end, "/end_date", startName: "start_date")
        checkMaps(body, &check)
        let priorDates = checkPriorUsage(body.priorUsage, &check)
        try check.finish()
        guard let start else { throw APIProblem.validation(check.errors) }
        var request = ArrangementRequest(
            arrangementType: body.arrangementType, employee: employee(body.employee),
            supervisorEmail: EmailIdentity.lowercased(body.supervisorEmail), startDate: start, submittedOn: submittedOn)
        request.endDate = end
        request.remoteDaysPerWeek = body.remoteDaysPerWeek.map(Int.init)
        request.schedule = body.schedule
        request.location = body.location.map { WorkLocation(country: $0.country, region: $0.region, city: $0.city) }
        request.justification = body.justification
        request.attestations = body.attestations?.additionalProperties ?? [:]
        request.fields = body.fields?.additionalProperties ?? [:]
        request.isEmergency = body.isEmergency
        request.priorUsage = body.priorUsage.map {
            PriorUsage(businessDaysUsed: Int($0.businessDaysUsedThisYear), dates: priorDates.isEmpty ? nil : priorDates)
        }
        return request
    }

    private static func employee(_ given: Components.Schemas.Employee) -> Policy.Employee {
        var employee = Policy.Employee(
            email: EmailIdentity.lowercased(given.email), name: given.name, department: given.department,
            employeeClass: given.employeeClass ?? "")
        employee.exempt = given.exempt
        employee.bargainingUnit = given.bargainingUnit
        employee.jobTitle = given.jobTitle
        employee.monthsEmployed = given.monthsEmployed.map(Int.init)
        employee.lastRating = given.lastRating
        employee.pendingPerformanceAction = given.pendingPerformanceAction
        employee.monthsSinceLastDiscipline = given.monthsSinceLastDiscipline.map(Int.init)
        employee.coveredByCollectiveAgreement = given.coveredByCollectiveAgreement
        return employee
    }

    private static func checkEmployee(_ employee: Components.Schemas.Employee, _ check: inout Validator) {
        check.email(employee.email, "/employee/email")
        check.length(employee.name, "/employee/name", min: 1, max: 200)
        check.length(employee.department, "/employee/department", min: 1, max: 200)
        check.length(employee.employeeClass, "/employee/employee_class", max: 64)
        check.length(employee.bargainingUnit, "/employee/bargaining_unit", max: 64)
        check.length(employee.jobTitle, "/employee/job_title", max: 200)
        check.length(employee.lastRating, "/employee/last_rating", max: 64)
        check.range(employee.monthsEmployed.map(Int.init), "/employee/months_employed", 0...1200)
        check.range(
            employee.monthsSinceLastDiscipline.map(Int.init), "/employee/months_since_last_discipline", 0...1200)
    }

    private static func checkLocation(_ location: Components.Schemas.WorkLocation, _ check: inout Validator) {
        if !Validator.isCode(location.country, lengths: 2...2, lettersOnly: true) {
            check.fail(
                "/location/country",
                "must be an ISO 3166-1 alpha-2 code in capitals such as US or FR, got \"\(location.country.prefix(20))\""
            )
        }
        if let region = location.region, !Validator.isCode(region, lengths: 1...3, lettersOnly: false) {
            check.fail(
                "/location/region",
                "must be an ISO 3166-2 subdivision code without the country, such as MA, got \"\(region.prefix(20))\"")
        }
        check.length(location.city, "/location/city", max: 100)
    }

    private static func checkMaps(_ body: Components.Schemas.RequestSubmission, _ check: inout Validator) {
        let attestations = body.attestations?.additionalProperties ?? [:]
        if attestations.count > 50 { check.fail("/attestations", "must have at most 50 entries") }
        for key in attestations.keys.sorted() where !Validator.isKey(key) {
            check.fail("/attestations/\(key.prefix(64))", "keys must match ^[a-z][a-z0-9_]{0,63}$")
        }
        let fields = body.fields?.additionalProperties ?? [:]
        if fields.count > 50 { check.fail("/fields", "must have at most 50 entries") }
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            if !Validator.isKey(key) {
                check.fail("/fields/\(key.prefix(64))", "keys must match ^[a-z][a-z0-9_]{0,63}$")
            }
            check.length(value, "/fields/\(key.prefix(64))", max: 2000, multiline: true)
        }
    }

    private static func checkPriorUsage(_ usage: Components.Schemas.PriorUsage?, _ check: inout Validator)
        -> [CivilDate]
    {
        guard let usage else { return [] }
        check.range(Int(usage.businessDaysUsedThisYear), "/prior_usage/business_days_used_this_year", 0...366)
        let dates = usage.remoteDates ?? []
        if dates.count > 366 { check.fail("/prior_usage/remote_dates", "must have at most 366 dates") }
        return dates.enumerated().compactMap { index, text in check.date(text, "/prior_usage/remote_dates/\(index)") }
    }
}
