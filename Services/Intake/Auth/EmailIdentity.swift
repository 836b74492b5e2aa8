import Policy

/// The one way the intake compares people's email identities: ASCII letters lowercased, every
/// other byte kept, and the results compared byte for byte. Unicode case mapping is never used:
/// `"\u{212A}im@example.edu".lowercased()` is `"kim@example.edu"` (KELVIN SIGN folds to `k`),
/// so a person could act as someone else.
enum EmailIdentity {
    /// `text` with `A`–`Z` turned into `a`–`z`, nothing else changed.
    static func lowercased(_ text: String) -> String {
        PolicyEngine.identity(text)
    }

    /// Whether `text` is ASCII only (every identity the acting-user token may carry is).
    static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Whether two identities are the same person: equal after ASCII lowercasing, byte for byte.
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        Array(lowercased(lhs).utf8) == Array(lowercased(rhs).utf8)
    }
}
