import Foundation

/// The operator's rules for webhook destinations. Production takes the defaults: https only,
/// public addresses only. Development and tests, whose receivers listen on 127.0.0.1, say so
/// explicitly with `FWA_WEBHOOK_ALLOW_HTTP=1` and `FWA_WEBHOOK_ALLOW_PRIVATE=1`.
public struct WebhookRules: Sendable, Equatable {
    /// Plain `http://` URLs are accepted (`FWA_WEBHOOK_ALLOW_HTTP`).
    public var allowsHTTP: Bool
    /// Loopback, private, link-local and other non-public addresses are accepted
    /// (`FWA_WEBHOOK_ALLOW_PRIVATE`).
    public var allowsPrivateAddresses: Bool

    /// The production rules unless told otherwise.
    public init(allowsHTTP: Bool = false, allowsPrivateAddresses: Bool = false) {
        self.allowsHTTP = allowsHTTP
        self.allowsPrivateAddresses = allowsPrivateAddresses
    }

    /// The variables the rules are read from, by every program that checks webhooks.
    public static let httpVariable = "FWA_WEBHOOK_ALLOW_HTTP"
    public static let privateVariable = "FWA_WEBHOOK_ALLOW_PRIVATE"

    /// Reads the two variables from `environment`: unset, empty or `0` refuses, `1` allows; any
    /// other value is an error naming the variable (a typo must not silently keep or drop a guard).
    public static func read(_ environment: [String: String]) throws(Problem) -> WebhookRules {
        WebhookRules(
            allowsHTTP: try flag(httpVariable, environment),
            allowsPrivateAddresses: try flag(privateVariable, environment))
    }

    private static func flag(_ name: String, _ environment: [String: String]) throws(Problem) -> Bool {
        switch environment[name]?.trimmingCharacters(in: .whitespaces) ?? "" {
        case "", "0": return false
        case "1": return true
        case let other: throw Problem(variable: name, value: String(other.prefix(40)))
        }
    }

    /// A setting that is neither `0` nor `1`.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var variable: String
        public var value: String
        /// What was expected and what was found, without the variable's name.
        public var problem: String {
            "expected 1 (allow, for development) or 0 (refuse, the default), got \"\(value)\""
        }
        public var description: String { "\(variable): \(problem)" }
    }
}
