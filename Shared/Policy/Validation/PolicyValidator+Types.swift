extension PolicyValidator {
    /// Arrangement types: unique ids, sane limits, one unit per length, known classes.
    func checkTypes(_ found: inout ProblemList) {
        if policy.arrangementTypes.isEmpty {
            found.add([.key("arrangement_types")], "no arrangement types; expected at least one")
        }
        found.duplicates(
            policy.arrangementTypes.map(\.id), path: [.key("arrangement_types")], what: "type id", key: "id")
        for (index, type) in policy.arrangementTypes.enumerated() {
            checkType(type, [.key("arrangement_types"), .index(index)], &found)
        }
        for (index, item) in (policy.notOffered ?? []).enumerated() where typeIds.contains(item.id) {
            found.add(
                [.key("not_offered"), .index(index), .key("id")],
                "\"\(item.id)\" is both offered and not offered; expected a type id not in arrangement_types")
        }
    }

    private func checkType(_ type: ArrangementType, _ path: Path, _ found: inout ProblemList) {
        if !PolicyValidator.isSlug(type.id) {
            found.add(path + [.key("id")], "invalid type id \"\(type.id)\"; expected lowercase letters, digits, _ or -")
        }
        if let range = type.remoteDaysPerWeek {
            let days = [range.min, range.max].compactMap { $0 }
            if days.contains(where: { $0 < 0 || $0 > 7 }) {
                found.add(path + [.key("remote_days_per_week")], "expected days between 0 and 7")
            }
            if let low = range.min, let high = range.max, low > high {
                found.add(path + [.key("remote_days_per_week"), .key("max")], "max \(high) is below min \(low)")
            }
        }
        if let span = type.maxDuration {
            checkSpan(span, path + [.key("max_duration")], &found, allowBusinessDays: false)
        }
        if let span = type.minParticipation {
            checkSpan(span, path + [.key("min_participation")], &found, allowBusinessDays: false)
        }
        if let cap = type.yearlyCap { checkCap(cap, path + [.key("yearly_cap")], &found) }
        if let advance = type.advanceRequest {
            let units = [advance.businessDays, advance.calendarDays].compactMap { $0 }
            if units.count != 1 || units.contains(where: { $0 < 0 }) {
                found.add(
                    path + [.key("advance_request")],
                    "expected exactly one of business_days, calendar_days (zero or more)")
            }
        }
        checkClasses(type.employeeClasses, path + [.key("employee_classes")], &found)
        if let review = type.review {
            if review.firstAfterMonths <= 0 {
                found.add(path + [.key("review"), .key("first_after_months")], "expected a positive number of months")
            }
            if let every = review.everyMonths, every <= 0 {
                found.add(path + [.key("review"), .key("every_months")], "expected a positive number of months")
            }
        }
        checkNotices(type.notices ?? [], path + [.key("notices")], &found)
        checkRequirements(type.requirements ?? [], path + [.key("requirements")], &found)
        if let window = type.scheduleWindow {
            checkWindow(HoursWindow(start: window.start, end: window.end), path + [.key("schedule_window")], &found)
            if let when = window.when { checkCondition(when, path + [.key("schedule_window"), .key("when")], &found) }
        }
    }

    private func checkCap(_ cap: YearlyCap, _ path: Path, _ found: inout ProblemList) {
        let units = [cap.businessDays, cap.calendarDays, cap.months].compactMap { $0 }
        if units.count != 1 {
            found.add(path, "expected exactly one of business_days, calendar_days, months")
        } else if units[0] <= 0 {
            found.add(path, "expected a positive cap")
        }
    }

    private func checkNotices(_ notices: [NoticeRule], _ path: Path, _ found: inout ProblemList) {
        for (index, notice) in notices.enumerated() {
            let units = [notice.businessDays, notice.calendarDays].compactMap { $0 }
            if units.count != 1 || units.contains(where: { $0 <= 0 }) {
                found.add(path + [.index(index)], "expected exactly one of business_days, calendar_days (positive)")
            }
            if let when = notice.when { checkCondition(when, path + [.index(index), .key("when")], &found) }
        }
    }

    private func checkRequirements(_ requirements: [Requirement], _ path: Path, _ found: inout ProblemList) {
        found.duplicates(
            requirements.map { $0.kind.rawValue + "." + $0.key }, path: path, what: "requirement", key: "key")
        for (index, requirement) in requirements.enumerated() {
            if !ConditionField.isKey(requirement.key) {
                found.add(
                    path + [.index(index), .key("key")],
                    "invalid key \"\(requirement.key)\"; expected lowercase letters, digits and _")
            }
            if let when = requirement.when { checkCondition(when, path + [.index(index), .key("when")], &found) }
        }
    }

    func checkClasses(_ classes: [String]?, _ path: Path, _ found: inout ProblemList) {
        guard let classes, let declaredClasses else { return }
        for (index, name) in classes.enumerated() where !declaredClasses.contains(name) {
            found.add(
                path + [.index(index)],
                "unknown employee class \"\(name)\"; expected one of "
                    + (policy.employeeClasses ?? []).joined(separator: ", "))
        }
    }

    func checkTypeReferences(_ ids: [String]?, _ path: Path, _ found: inout ProblemList) {
        for (index, id) in (ids ?? []).enumerated() where !typeIds.contains(id) {
            found.add(path + [.index(index)], "unknown arrangement type \"\(id)\"; expected one of \(expectedTypes())")
        }
    }
}
