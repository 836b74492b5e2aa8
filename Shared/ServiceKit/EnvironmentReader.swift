import Foundation

/// Typed reads of environment variables, each failing with a `ConfigurationError` that names the
/// variable and what was expected.
public struct EnvironmentReader: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    /// The value, or nil when unset or empty.
    public func optional(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    public func string(_ name: String, default fallback: String) -> String { optional(name) ?? fallback }

    public func required(_ name: String) throws -> String {
        guard let value = optional(name) else {
            throw ConfigurationError(variable: name, problem: "is required but not set")
        }
        return value
    }

    public func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = optional(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(
                variable: name,
                problem: "expected an integer in \(range.lowerBound)...\(range.upperBound), got \"\(text)\"")
        }
        return value
    }

    public func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let text = optional(name) else { return fallback }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default:
            throw ConfigurationError(
                variable: name, problem: "expected 1/0, true/false, yes/no or on/off, got \"\(text)\"")
        }
    }

    public func oneOf(_ name: String, _ choices: [String], default fallback: String) throws -> String {
        guard let text = optional(name) else { return fallback }
        guard choices.contains(text.lowercased()) else {
            throw ConfigurationError(
                variable: name, problem: "expected one of \(choices.joined(separator: ", ")), got \"\(text)\"")
        }
        return text.lowercased()
    }

    /// Seconds as a `Duration` (fractions allowed).
    public func seconds(_ name: String, default fallback: Duration, range: ClosedRange<Double>) throws -> Duration {
        guard let text = optional(name) else { return fallback }
        guard let value = Double(text), range.contains(value) else {
            throw ConfigurationError(
                variable: name,
                problem: "expected seconds in \(range.lowerBound)...\(range.upperBound), got \"\(text)\"")
        }
        return .milliseconds(Int64(value * 1000))
    }
}
