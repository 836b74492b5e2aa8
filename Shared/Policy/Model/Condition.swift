/// A structured condition over an employee and a request, never a string evaluated at run
/// time. In a tenant file it is one of:
///
/// ```yaml
/// {field: employee.class, op: eq, value: classified}   # a test
/// {all: [cond, cond]}                                   # every one holds
/// {any: [cond, cond]}                                   # at least one holds
/// {not: cond}                                           # does not hold
/// ```
public indirect enum Condition: Sendable, Equatable {
    /// Every condition holds (true when empty).
    case all([Condition])
    /// At least one condition holds (false when empty).
    case any([Condition])
    /// The condition does not hold.
    case not(Condition)
    /// A comparison of one field with a value.
    case test(ConditionTest)
}

/// One comparison: `field` `op` `value`.
public struct ConditionTest: Codable, Sendable, Equatable {
    /// What is compared (`employee.months_employed`, `attestations.no_dependent_care`…).
    public var field: ConditionField
    /// How it is compared.
    public var op: ConditionOperator
    /// The value compared with; absent only for `exists`.
    public var value: ConditionValue?

}

extension Condition: Codable {
    enum CodingKeys: String, CodingKey {
        case all, any, not, field, op, value
    }

    /// Decodes exactly one of `all`, `any`, `not` or a `field` test.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let present = [CodingKeys.all, .any, .not, .field].filter { container.contains($0) }
        // Ask about the test's keys too, so that they are known keys of this mapping.
        _ = container.contains(.op)
        _ = container.contains(.value)
        guard present.count == 1, let kind = present.first else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "a condition has exactly one of all, any, not or field (with op and value)"))
        }
        switch kind {
        case .all: self = .all(try container.decode([Condition].self, forKey: .all))
        case .any: self = .any(try container.decode([Condition].self, forKey: .any))
        case .not: self = .not(try container.decode(Condition.self, forKey: .not))
        default: self = .test(try ConditionTest(from: decoder))
        }
    }

    /// Encodes the same shape it decodes.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .all(let conditions):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(conditions, forKey: .all)
        case .any(let conditions):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(conditions, forKey: .any)
        case .not(let condition):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(condition, forKey: .not)
        case .test(let test):
            try test.encode(to: encoder)
        }
    }
}

/// How a condition compares its field with its value.
public enum ConditionOperator: String, PolicyKeyword {
    /// Equal (strings compare without regard to case or surrounding spaces).
    case eq
    /// Not equal (also true when the field is absent).
    case ne
    /// Less than (numbers, or ratings by their rank on the tenant's `rating_scale`).
    case lt
    /// Less than or equal.
    case le
    /// Greater than.
    case gt
    /// Greater than or equal.
    case ge
    /// Equal to one of a list.
    case `in`
    /// Equal to none of a list (also true when the field is absent).
    case notIn = "not_in"
    /// The text contains the value (case-insensitive), or the list field contains it.
    case contains
    /// The text contains one of the listed values (case-insensitive).
    case containsAny = "contains_any"
    /// The field is present (`value: true`, the default) or absent (`value: false`).
    case exists
}

/// A literal in a condition: a string, a number, a boolean or a list of them.
public enum ConditionValue: Sendable, Equatable, Codable {
    /// Text, such as `classified`.
    case string(String)
    /// A number, such as `3` or `18.75`.
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// A list, for `in`, `not_in` and `contains_any`.
    case list([ConditionValue])

    /// Decodes whichever literal the file holds.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let values = try? container.decode([ConditionValue].self) {
            self = .list(values)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a string, number, boolean or list of them")
        }
    }

    /// Encodes the literal.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .list(let values): try container.encode(values)
        }
    }
}
