extension PolicyValidator {
    /// What kind of value a condition field holds.
    enum FieldKind {
        case bool, number, rating, text, list
    }

    static func kind(of field: ConditionField) -> FieldKind {
        switch field {
        case .attestation: return .bool
        case .field: return .text
        case .notice(let attribute): return attribute == .mutuallyAgreed ? .bool : .text
        case .employee(let attribute):
            switch attribute {
            case .exempt, .pendingPerformanceAction, .coveredByCollectiveAgreement, .positionOccupied,
                .participatesInHealthPlan, .twentyFourHourShift:
                return .bool
            case .monthsEmployed, .monthsSinceLastRating, .monthsSinceLastDiscipline, .standardWeeklyHours:
                return .number
            case .lastRating: return .rating
            case .employeeClass, .department, .bargainingUnit, .jobTitle: return .text
            }
        case .request(let attribute):
            switch attribute {
            case .isEmergency, .outsideHomeRegion, .outsideHomeCountry: return .bool
            case .remoteDaysPerWeek, .durationDays, .durationMonths, .noticeBusinessDays, .noticeCalendarDays,
                .fteFraction:
                return .number
            case .combinedWith: return .list
            case .arrangementType, .locationCountry, .locationRegion, .locationJurisdiction: return .text
            }
        }
    }

    /// Operators fit their field and values fit their operator.
    func checkCondition(_ condition: Condition, _ path: Path, _ found: inout ProblemList) {
        switch condition {
        case .all(let items):
            for (index, item) in items.enumerated() {
                checkCondition(item, path + [.key("all"), .index(index)], &found)
            }
        case .any(let items):
            if items.isEmpty {
                found.add(path + [.key("any")], "an empty any never holds; expected at least one condition")
            }
            for (index, item) in items.enumerated() {
                checkCondition(item, path + [.key("any"), .index(index)], &found)
            }
        case .not(let inner):
            checkCondition(inner, path + [.key("not")], &found)
        case .test(let test):
            checkTest(test, path, &found)
        }
    }

    private func checkTest(_ test: ConditionTest, _ path: Path, _ found: inout ProblemList) {
        let kind = PolicyValidator.kind(of: test.field)
        let valuePath = path + [.key("value")]
        switch test.op {
        case .exists:
            if let value = test.value, case .bool = value {
            } else if test.value != nil {
                found.add(valuePath, "exists takes true or false (or no value)")
            }
        case .in, .notIn, .containsAny:
            guard case .list(let items)? = test.value, !items.isEmpty else {
                found.add(valuePath, "\(test.op.rawValue) needs a non-empty list of values")
                return
            }
            for (index, item) in items.enumerated() {
                checkScalar(item, kind: kind, field: test.field, path: valuePath + [.index(index)], &found)
            }
        case .lt, .le, .gt, .ge:
            guard kind == .number || kind == .rating || test.field.isFreeField else {
                found.add(
                    path + [.key("op")], "\(test.op.rawValue) compares numbers or ratings; \(test.field) is not one")
                return
            }
            guard let value = test.value else { return found.add(valuePath, "\(test.op.rawValue) needs a value") }
            checkScalar(value, kind: kind == .rating ? .rating : .number, field: test.field, path: valuePath, &found)
        case .contains:
            guard kind == .text || kind == .list else {
                found.add(path + [.key("op")], "contains applies to text or lists; \(test.field) is neither")
                return
            }
            guard case .string? = test.value else { return found.add(valuePath, "contains needs a string value") }
        case .eq, .ne:
            guard let value = test.value else { return found.add(valuePath, "\(test.op.rawValue) needs a value") }
            checkScalar(value, kind: kind, field: test.field, path: valuePath, &found)
        }
    }

    private func checkScalar(
        _ value: ConditionValue, kind: FieldKind, field: ConditionField, path: Path,
        _ found: inout ProblemList
    ) {
        switch (kind, value) {
        case (_, .list):
            found.add(path, "expected a single value, got a list")
        case (.bool, .bool), (.number, .number), (.text, .string), (.text, .number), (.list, .string):
            checkKnownValue(value, field: field, path: path, &found)
        case (.rating, .string(let text)):
            if !ratingWords.contains(RatingScale.normalize(text)) {
                found.add(path, "unknown rating \"\(text)\"; expected a rating_scale level or alias")
            }
        case (.number, .string(let text)) where field.isFreeField:
            found.add(path, "expected a number, got \"\(text)\"")
        default:
            found.add(path, "expected \(PolicyValidator.describe(kind)) for \(field)")
        }
    }

    private func checkKnownValue(
        _ value: ConditionValue, field: ConditionField, path: Path,
        _ found: inout ProblemList
    ) {
        guard case .string(let text) = value else { return }
        switch field {
        case .request(.arrangementType), .request(.combinedWith):
            if !typeIds.contains(text) {
                found.add(path, "unknown arrangement type \"\(text)\"; expected one of \(expectedTypes())")
            }
        case .employee(.employeeClass):
            if let declaredClasses, !declaredClasses.contains(text) {
                found.add(
                    path,
                    "unknown employee class \"\(text)\"; expected one of "
                        + (policy.employeeClasses ?? []).joined(separator: ", "))
            }
        case .notice(.action):
            if NoticeAction(rawValue: text) == nil {
                found.add(path, "unknown notice action \"\(text)\"; expected one of \(NoticeAction.allowedWords)")
            }
        default:
            break
        }
    }

    static func describe(_ kind: FieldKind) -> String {
        switch kind {
        case .bool: return "true or false"
        case .number: return "a number"
        case .rating: return "a rating"
        case .text: return "a string"
        case .list: return "a string (an element of the list)"
        }
    }
}

extension ConditionField {
    /// `fields.<key>`: free text that may also be compared as a number.
    var isFreeField: Bool {
        if case .field = self { return true }
        return false
    }
}
