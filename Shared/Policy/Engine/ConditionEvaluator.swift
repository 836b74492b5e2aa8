/// Evaluates structured conditions against the facts of one request.
struct ConditionEvaluator {
    let facts: RequestFacts
    let ratings: RatingScale

    func holds(_ condition: Condition?) -> Bool {
        guard let condition else { return true }
        switch condition {
        case .all(let items): return items.allSatisfy { holds($0) }
        case .any(let items): return items.contains { holds($0) }
        case .not(let inner): return !holds(inner)
        case .test(let test): return holds(test)
        }
    }

    private func holds(_ test: ConditionTest) -> Bool {
        let subject = facts.value(of: test.field)
        switch test.op {
        case .exists:
            if case .bool(false)? = test.value { return subject == nil }
            return subject != nil
        case .ne: return !matches(subject, test.value)
        case .notIn: return !isIn(subject, test.value)
        case .eq: return matches(subject, test.value)
        case .in: return isIn(subject, test.value)
        case .lt, .le, .gt, .ge:
            guard let subject, let value = test.value, let order = compare(subject, value) else { return false }
            switch test.op {
            case .lt: return order < 0
            case .le: return order <= 0
            case .gt: return order > 0
            default: return order >= 0
            }
        case .contains:
            guard let subject, case .string(let needle)? = test.value else { return false }
            return contains(subject, needle)
        case .containsAny:
            guard let subject, case .list(let items)? = test.value else { return false }
            return items.contains { item in
                if case .string(let needle) = item { return contains(subject, needle) }
                return false
            }
        }
    }

    private func isIn(_ subject: FieldValue?, _ value: ConditionValue?) -> Bool {
        guard case .list(let items)? = value else { return false }
        return items.contains { matches(subject, $0) }
    }

    private func matches(_ subject: FieldValue?, _ value: ConditionValue?) -> Bool {
        guard let subject, let value else { return false }
        switch (subject, value) {
        case (.bool(let left), .bool(let right)): return left == right
        case (.rating, _): return compare(subject, value) == 0
        case (.text(let text), .string(let right)): return TextMatch.equal(text, right)
        case (.list(let items), .string(let right)): return items.contains { TextMatch.equal($0, right) }
        default: return compare(subject, value) == 0
        }
    }

    /// -1, 0, 1, or `nil` when the two cannot be ordered.
    private func compare(_ subject: FieldValue, _ value: ConditionValue) -> Int? {
        switch (subject, value) {
        case (.number(let left), .number(let right)): return order(left, right)
        case (.text(let text), .number(let right)):
            guard let left = Double(text.trimmingSpaces) else { return nil }
            return order(left, right)
        case (.rating(let rating), .string(let level)):
            guard let left = ratings.rank(of: rating), let right = ratings.rank(of: level) else {
                return TextMatch.equal(rating, level) ? 0 : nil
            }
            return order(Double(left), Double(right))
        default:
            return nil
        }
    }

    private func order(_ left: Double, _ right: Double) -> Int {
        left < right ? -1 : (left > right ? 1 : 0)
    }

    private func contains(_ subject: FieldValue, _ needle: String) -> Bool {
        switch subject {
        case .text(let text), .rating(let text): return TextMatch.contains(text, needle)
        case .list(let items): return items.contains { TextMatch.equal($0, needle) }
        default: return false
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return slice
    }
}
