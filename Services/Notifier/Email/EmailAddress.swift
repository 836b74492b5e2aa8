/// The plain addresses (`name@example.edu`) the notifier sends to and from. Anything that could
/// smuggle a command or a header (spaces, CR/LF, angle brackets, quotes, commas, non-ASCII) is
/// refused rather than repaired.
enum EmailAddress {
    /// True for a plain ASCII address with one `@`, a local part and a dotted or simple domain.
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (3...254).contains(bytes.count), bytes.allSatisfy(isAllowed) else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64, !parts[1].isEmpty else { return false }
        let domain = parts[1]
        return !domain.hasPrefix(".") && !domain.hasSuffix(".") && !domain.contains("..")
    }

    /// The address trimmed and lowercased (the key deliveries are de-duplicated on), or nil when
    /// it is not valid.
    static func normalized(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        return isValid(trimmed) ? trimmed : nil
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte < 0x7F else { return false }
        return !"<>()[],;:\\\"".utf8.contains(byte)
    }
}
