/// What a free-text value of the API may hold, beyond its length in characters: the rules every
/// name, reason, note and justification is checked against (`Validator.length`), so that text
/// cannot hide markup or reorder what a reader sees, and a "character" cannot be a megabyte.
///
/// - No control characters (Unicode category Cc; tab, line feed and carriage return are allowed
///   in multi-line text only) and no format characters (Cf: bidirectional overrides, U+0600…,
///   zero-width spaces, U+FEFF), except the zero-width joiner and non-joiner (U+200D, U+200C)
///   that emoji and several scripts need.
/// - At most `maxCombiningRun` combining marks (categories Mn and Me) in a row: real text uses
///   two or three (Vietnamese, Hebrew points, Devanagari signs); a long run stacks a single
///   character into kilobytes.
/// - At most `bytesPerCharacter` bytes of UTF-8 per allowed character.
enum TextRules {
    /// Eight: no script needs more marks on one letter.
    static let maxCombiningRun = 8
    /// A field of at most N characters takes at most 8 × N bytes of UTF-8: any script's text at
    /// its character limit fits (1 to 4 bytes per scalar, a few scalars per character), while a
    /// single "character" built of thousands of scalars does not.
    static let bytesPerCharacter = 8

    /// The message of the first rule `value` breaks, nil when it keeps them all.
    static func problem(in value: String, multiline: Bool) -> String? {
        var run = 0
        for (offset, scalar) in value.unicodeScalars.enumerated() {
            if let forbidden = forbidden(scalar, multiline: multiline) {
                return "must not contain \(forbidden); found \(describe(scalar)) at position \(offset + 1)"
            }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark:
                run += 1
                if run > maxCombiningRun {
                    return
                        "must not have more than \(maxCombiningRun) combining marks (Unicode categories Mn, Me) in a row; found more at position \(offset + 1)"
                }
            default:
                run = 0
            }
        }
        return nil
    }

    /// The name of the rule `scalar` breaks, nil when it is allowed.
    private static func forbidden(_ scalar: Unicode.Scalar, multiline: Bool) -> String? {
        if scalar == "\u{0}" { return "the NUL character (U+0000)" }
        switch scalar.properties.generalCategory {
        case .control:
            if multiline, scalar == "\t" || scalar == "\n" || scalar == "\r" { return nil }
            return multiline
                ? "control characters (Unicode category Cc) other than tab and line breaks"
                : "control characters (Unicode category Cc), line breaks and tabs included"
        case .format:
            if scalar == "\u{200C}" || scalar == "\u{200D}" { return nil }
            return
                "format characters (Unicode category Cf, such as bidirectional overrides) other than U+200C and U+200D"
        default:
            return nil
        }
    }

    /// `U+202E RIGHT-TO-LEFT OVERRIDE`.
    private static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return scalar.properties.name.map { "\(code) \($0)" } ?? code
    }
}
