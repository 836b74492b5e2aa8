/// Problems collected while one document is decoded. Used by one decoding pass on one
/// thread and then discarded, so it is a plain class.
final class DecodeSession {
    struct Entry {
        let path: [PathComponent]
        let position: SourcePosition?
        let message: String
    }

    private(set) var entries: [Entry] = []

    func record(_ path: [PathComponent], _ position: SourcePosition?, _ message: String) {
        entries.append(Entry(path: path, position: position, message: message))
    }
}

/// Thrown after a problem has been recorded, so that the nearest optional value or list
/// element can absorb it instead of failing the whole document.
struct ReportedProblem: Error {}

/// A value to stand in for one that failed to decode, so decoding can go on and find the
/// other problems (the result is discarded whenever there is a problem).
protocol PlaceholderProviding {
    static var placeholder: Self { get }
}

extension CivilDate: PlaceholderProviding {
    static var placeholder: CivilDate { CivilDate(dayNumber: 0) }
}

extension TimeOfDay: PlaceholderProviding {
    static var placeholder: TimeOfDay { TimeOfDay(hour: 0, minute: 0)! }
}

extension MonthDay: PlaceholderProviding {
    static var placeholder: MonthDay { MonthDay(month: 1, day: 1)! }
}

extension ConditionField: PlaceholderProviding {
    static var placeholder: ConditionField { .employee(.employeeClass) }
}

extension Condition: PlaceholderProviding {
    static var placeholder: Condition { .all([]) }
}

extension ConditionValue: PlaceholderProviding {
    static var placeholder: ConditionValue { .bool(false) }
}

/// The first case of a keyword enum, as a placeholder.
func firstKeyword<K: PolicyKeyword>(_ type: K.Type) -> Any? {
    K.allCases.first
}

/// A type read from one scalar, with the style rules of tenant files: numbers and booleans
/// only unquoted in YAML (or as JSON numbers/booleans); strings from any YAML scalar.
protocol ScalarDecodable {
    static func fromScalar(_ text: String, _ style: ScalarStyle) -> Self?
    static var expectation: String { get }
    static var scalarPlaceholder: Self { get }
}

extension String: ScalarDecodable {
    static func fromScalar(_ text: String, _ style: ScalarStyle) -> String? {
        style == .jsonNumber || style == .jsonBool ? nil : text
    }
    static var expectation: String { "a string" }
    static var scalarPlaceholder: String { "" }
}

extension Bool: ScalarDecodable {
    static func fromScalar(_ text: String, _ style: ScalarStyle) -> Bool? {
        guard style == .plain || style == .jsonBool else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }
    static var expectation: String { "true or false" }
    static var scalarPlaceholder: Bool { false }
}

extension Int: ScalarDecodable {
    static func fromScalar(_ text: String, _ style: ScalarStyle) -> Int? {
        style == .plain || style == .jsonNumber ? Int(text) : nil
    }
    static var expectation: String { "an integer" }
    static var scalarPlaceholder: Int { 0 }
}

extension Double: ScalarDecodable {
    static func fromScalar(_ text: String, _ style: ScalarStyle) -> Double? {
        guard style == .plain || style == .jsonNumber, let value = Double(text), value.isFinite else { return nil }
        return value
    }
    static var expectation: String { "a number" }
    static var scalarPlaceholder: Double { 0 }
}

extension Float: ScalarDecodable {
    static func fromScalar(_ text: String, _ style: ScalarStyle) -> Float? {
        Double.fromScalar(text, style).map { Float($0) }
    }
    static var expectation: String { "a number" }
    static var scalarPlaceholder: Float { 0 }
}

extension ScalarDecodable {
    /// Reads `node` as this type (boxed), or `nil` on a mismatch.
    static func read(_ node: SourceNode) -> Any? {
        guard case .scalar(let text, let style, _) = node else { return nil }
        return fromScalar(text, style)
    }

    /// The boxed placeholder.
    static var boxedPlaceholder: Any { scalarPlaceholder }

    /// `expected an integer, got "ten"`.
    static func mismatchMessage(_ node: SourceNode) -> String {
        "expected \(expectation), got \(node.kindDescription)"
    }
}
