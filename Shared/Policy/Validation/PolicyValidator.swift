import Foundation

/// The checks a decoded policy must pass beyond its shape: references between parts (roles,
/// steps, types, region groups), duplicates, escalation cycles, condition operators and
/// values, dates, time zones and units. Each problem has the path it concerns.
struct PolicyValidator {
    typealias Path = [PathComponent]

    let policy: TenantPolicy
    let roleKeys: Set<String>
    let typeIds: Set<String>
    let chainStepIds: Set<String>
    let ratingWords: Set<String>
    let regionGroupIds: Set<String>
    let declaredClasses: Set<String>?

    init(policy: TenantPolicy) {
        self.policy = policy
        roleKeys = Set(policy.roles.map(\.key))
        typeIds = Set(policy.arrangementTypes.map(\.id))
        chainStepIds = Set(policy.chain.map(\.id))
        ratingWords = Set(
            (policy.ratingScale ?? []).flatMap { [$0.id] + ($0.aliases ?? []) }.map(RatingScale.normalize))
        regionGroupIds = Set((policy.location?.regionGroups ?? []).map(\.id))
        declaredClasses = policy.employeeClasses.map(Set.init)
    }

    /// Every problem, in the order of the file's sections.
    func problems() -> [(Path, String)] {
        var found = ProblemList()
        checkIdentity(&found)
        checkHolidays(&found)
        checkRoles(&found)
        checkChain(&found)
        checkEscalationCycles(&found)
        checkTypes(&found)
        checkEligibility(&found)
        checkLocation(&found)
        return found.items
    }

    private func checkIdentity(_ found: inout ProblemList) {
        if !PolicyValidator.isSlug(policy.id) {
            found.add(
                [.key("id")], "invalid tenant id \"\(policy.id)\"; expected lowercase letters, digits and hyphens")
        }
        if policy.name.trimmingCharacters(in: .whitespaces).isEmpty {
            found.add([.key("name")], "the name is empty; expected the institution's name")
        }
        if TimeZone(identifier: policy.timeZone) == nil {
            found.add(
                [.key("time_zone")],
                "unknown time zone \"\(policy.timeZone)\"; expected an IANA identifier such as America/New_York")
        }
        if !PolicyValidator.isCountry(policy.home.country) {
            found.add(
                [.key("home"), .key("country")],
                "invalid country \"\(policy.home.country)\"; expected an ISO 3166-1 alpha-2 code such as US")
        }
        if policy.home.region.isEmpty {
            found.add([.key("home"), .key("region")], "the home region is empty; expected a region code such as MA")
        }
        if let days = policy.workWeek {
            if days.isEmpty { found.add([.key("work_week")], "the work week is empty; expected at least one day") }
            found.duplicates(days.map(\.rawValue), path: [.key("work_week")], what: "day")
        }
        if let hours = policy.fullTimeHoursPerWeek, hours <= 0 || hours > 168 {
            found.add([.key("full_time_hours_per_week")], "expected hours between 0 and 168, got \(hours)")
        }
        checkWindow(policy.coreHours, [.key("core_hours")], &found)
        checkWindow(policy.bandwidth, [.key("bandwidth")], &found)
        found.duplicates(policy.employeeClasses ?? [], path: [.key("employee_classes")], what: "employee class")
        let ratings = (policy.ratingScale ?? []).flatMap { [$0.id] + ($0.aliases ?? []) }.map(RatingScale.normalize)
        found.duplicates(ratings, path: [.key("rating_scale")], what: "rating")
        if let span = policy.expiryNotice { checkSpan(span, [.key("expiry_notice")], &found) }
        if let sla = policy.defaultSlaBusinessDays, sla < 0 {
            found.add([.key("default_sla_business_days")], "expected zero or more business days, got \(sla)")
        }
    }

    func checkWindow(_ window: HoursWindow?, _ path: Path, _ found: inout ProblemList) {
        guard let window, window.end <= window.start else { return }
        found.add(path + [.key("end")], "the window ends (\(window.end)) before it starts (\(window.start))")
    }

    func checkSpan(_ span: Span, _ path: Path, _ found: inout ProblemList, allowBusinessDays: Bool = true) {
        if span.unitCount != 1 {
            found.add(path, "expected exactly one of business_days, calendar_days, months, years")
        }
        let values = [span.businessDays, span.calendarDays, span.months, span.years].compactMap { $0 }
        if values.contains(where: { $0 <= 0 }) { found.add(path, "expected a positive length") }
        if !allowBusinessDays, span.businessDays != nil {
            found.add(
                path + [.key("business_days")],
                "business_days is not allowed here; expected calendar_days, months or years")
        }
    }

    static func isSlug(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95 }
    }

    static func isCountry(_ text: String) -> Bool {
        text.utf8.count == 2 && text.utf8.allSatisfy { $0 >= 65 && $0 <= 90 }
    }

    /// `US-MA`, or a bare country code `CA`.
    static func isJurisdiction(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let country = parts.first, isCountry(String(country)) else { return false }
        return parts.count == 1
            || (parts.count == 2 && !parts[1].isEmpty
                && parts[1].utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) })
    }

    func expectedRoles() -> String {
        policy.roles.map(\.key).joined(separator: ", ")
    }

    func expectedTypes() -> String {
        policy.arrangementTypes.map(\.id).joined(separator: ", ")
    }
}
