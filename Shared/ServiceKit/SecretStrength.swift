/// Whether a secret from the environment is fit to protect anything: long enough, varied enough,
/// and not a known placeholder (`change-me-admin-token` passed a plain length check and was
/// shipped as a working default). Pure: it says what is wrong without repeating the value.
public struct SecretStrength: Sendable {
    /// Fewest UTF-8 bytes accepted.
    public let minimumLength: Int
    /// Fewest different characters accepted (a repeated pattern is not a secret).
    public let minimumDistinctCharacters: Int

    /// Words and runs that mark a placeholder or a guessable value, compared case-insensitively.
    public static let placeholders = [
        "change-me", "changeme", "change_me", "replace-me", "replaceme", "replace_me", "example", "secret", "password",
        "passwd", "placeholder", "xxx", "dummy", "default", "insecure", "qwerty", "123456", "abcdef",
    ]

    public init(minimumLength: Int, minimumDistinctCharacters: Int = 8) {
        self.minimumLength = minimumLength
        self.minimumDistinctCharacters = minimumDistinctCharacters
    }

    /// What is wrong with `value`, as the end of a sentence naming the variable; nil when it passes.
    public func problem(with value: String) -> String? {
        let lowered = value.lowercased()
        if let word = Self.placeholders.first(where: { lowered.contains($0) }) {
            return
                "looks like a placeholder (contains \"\(word)\"): generate a random value, e.g. `openssl rand -hex 32`"
        }
        let distinct = Set(value.unicodeScalars).count
        if distinct == 1 { return "is one character repeated: generate a random value, e.g. `openssl rand -hex 32`" }
        if value.utf8.count < minimumLength {
            return "must be at least \(minimumLength) bytes long (got \(value.utf8.count))"
        }
        if distinct < minimumDistinctCharacters {
            return
                "has only \(distinct) different characters (at least \(minimumDistinctCharacters)): generate a random value, e.g. `openssl rand -hex 32`"
        }
        return nil
    }
}
