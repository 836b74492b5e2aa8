import Policy

/// Collects every field error of a body or query (lengths, patterns, ranges, dates: what the
/// generated code does not check) and throws them together as `422 validation`.
struct Validator {
    private(set) var errors: [APIProblem.FieldError] = []

    mutating func fail(_ pointer: String, _ message: String, ruleId: String? = nil) {
        errors.append(.init(pointer: pointer, message: message, ruleId: ruleId))
    }

    /// Checks a free-text value (absent values pass): at least `min` and at most `max`
    /// characters, at most `maxBytes` bytes of UTF-8 (default `TextRules.bytesPerCharacter` ×
    /// `max`), and `TextRules` (no control or format characters, tabs and line breaks only when
    /// `multiline`, bounded runs of combining marks). Each broken rule is one field error.
    mutating func length(
        _ value: String?, _ pointer: String, min: Int = 0, max: Int, maxBytes: Int? = nil, multiline: Bool = false
    ) {
        guard let value else { return }
        let byteLimit = maxBytes ?? max * TextRules.bytesPerCharacter
        if value.utf8.count > byteLimit {
            // Counting the characters of an oversized value is wasted work: say the bytes only.
            return fail(
                pointer,
                "must be at most \(byteLimit) bytes of UTF-8 (and \(max) characters), got \(value.utf8.count) bytes")
        }
        if let problem = TextRules.problem(in: value, multiline: multiline) { fail(pointer, problem) }
        if value.count < min { fail(pointer, min == 1 ? "must not be empty" : "must be at least \(min) characters") }
        if value.count > max { fail(pointer, "must be at most \(max) characters, got \(value.count)") }
    }

    mutating func email(_ value: String?, _ pointer: String) {
        guard let value else { return }
        if !Validator.isEmail(value) {
            fail(pointer, "must be an email address such as ana@example.edu (3 to 254 ASCII characters)")
        }
    }

    /// A key such as a role, arrangement type or attestation id: `^[a-z][a-z0-9_]{0,63}$`.
    mutating func key(_ value: String?, _ pointer: String) {
        guard let value else { return }
        if !Validator.isKey(value) {
            fail(
                pointer,
                "must match ^[a-z][a-z0-9_]{0,63}$ (lowercase letters, digits, underscores), got \"\(value.prefix(80))\""
            )
        }
    }

    mutating func range(_ value: Int?, _ pointer: String, _ range: ClosedRange<Int>) {
        guard let value, !range.contains(value) else { return }
        fail(pointer, "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
    }

    /// The dates the API accepts: the years tenant calendars are precomputed for. Outside them the
    /// engine recomputes holidays day by day, and one request reaching 9999 took a minute of CPU.
    static let supportedDates = CivilDate(year: 1990, month: 1, day: 1)!...CivilDate(year: 2100, month: 12, day: 31)!

    /// Parses a `YYYY-MM-DD` date, recording an error when it is not a real calendar day or lies
    /// outside `supportedDates`.
    mutating func date(_ text: String?, _ pointer: String) -> CivilDate? {
        guard let text else { return nil }
        do {
            let date = try CivilDate(parsing: text)
            guard Self.supportedDates.contains(date) else {
                fail(
                    pointer,
                    "must be between \(Self.supportedDates.lowerBound) and \(Self.supportedDates.upperBound), got \(date)"
                )
                return nil
            }
            return date
        } catch {
            fail(pointer, "must be a calendar date YYYY-MM-DD: \(error.reason), got \"\(text.prefix(40))\"")
            return nil
        }
    }

    /// Records "end before start" for an inclusive date range.
    mutating func order(_ start: CivilDate?, _ end: CivilDate?, _ endPointer: String, startName: String) {
        guard let start, let end, end < start else { return }
        fail(endPointer, "must not be before \(startName) (\(start)), got \(end)")
    }

    /// Throws `422 validation` when anything failed.
    func finish() throws(APIProblem) {
        if !errors.isEmpty { throw APIProblem.validation(errors) }
    }

    /// `local@domain.tld` without whitespace, control characters or the specials that could
    /// smuggle another address or a header into a message (`<>()[],;:\"`); the notifier refuses
    /// the same.
    static func isEmail(_ value: String) -> Bool {
        // ASCII only: identities are compared after ASCII lowercasing (EmailIdentity), and a
        // look-alike such as the Kelvin sign must not pass for a letter.
        guard (3...254).contains(value.utf8.count), EmailIdentity.isASCII(value),
            !value.contains(where: \.isWhitespace),
            !value.unicodeScalars.contains(where: {
                $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || "<>()[],;:\\\"".unicodeScalars.contains($0)
            })
        else { return false }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
    }

    static func isKey(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first, value.unicodeScalars.count <= 64, ("a"..."z").contains(first)
        else { return false }
        return value.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// Uppercase letters and digits only, `count` characters in `lengths`.
    static func isCode(_ value: String, lengths: ClosedRange<Int>, lettersOnly: Bool) -> Bool {
        lengths.contains(value.unicodeScalars.count)
            && value.unicodeScalars.allSatisfy {
                ("A"..."Z").contains($0) || (!lettersOnly && ("0"..."9").contains($0))
            }
    }
}
