extension EnvironmentReader {
    /// A required secret that passes `SecretStrength` (no placeholder, long and varied enough);
    /// throws a `ConfigurationError` naming the variable, never repeating the value.
    public func secret(_ name: String, minimumLength: Int) throws -> String {
        guard let value = try optionalSecret(name, minimumLength: minimumLength) else {
            throw ConfigurationError(variable: name, problem: "is required but not set")
        }
        return value
    }

    /// An optional secret: nil when unset, else checked like `secret`.
    public func optionalSecret(_ name: String, minimumLength: Int) throws -> String? {
        guard let value = optional(name) else { return nil }
        try Self.check(secret: value, named: name, minimumLength: minimumLength)
        return value
    }

    /// Checks a secret that arrived inside another setting (the password of a URL), naming `name`.
    public static func check(secret value: String, named name: String, minimumLength: Int) throws {
        if let problem = SecretStrength(minimumLength: minimumLength).problem(with: value) {
            throw ConfigurationError(variable: name, problem: problem)
        }
    }
}
