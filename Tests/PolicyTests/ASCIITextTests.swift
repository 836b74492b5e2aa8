import Testing

@testable import Policy

/// The byte-level paths for ASCII text (ratings, justifications) must agree with the
/// Character-level ones they stand in for.
@Suite("ASCII fast paths")
struct ASCIITextTests {
    /// Every printable ASCII character and the controls that matter, in random strings.
    private static let alphabet: [Character] =
        (0x20...0x7E).map { Character(Unicode.Scalar(UInt8($0))) } + ["\t", "\n", "\r", "\r\n"]

    private static func samples(_ count: Int) -> [String] {
        var random = SystemRandomNumberGenerator()
        let fixed = [
            "", "Meets Expectations", "meets-expectations", "  Exceeds__expectations!! ", "A1 b2-C3", "---", "r\r\nn",
            "ÉTÉ",
        ]
        return fixed
            + (0..<count).map { _ in
                String(
                    (0..<Int.random(in: 0...24, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            }
    }

    @Test("rating normalization: the byte path gives what the Character path gives")
    func normalize() {
        for text in Self.samples(5_000) {
            #expect(RatingScale.normalize(text) == RatingScale.normalizeUnicode(text), "\(text.debugDescription)")
        }
        #expect(RatingScale.normalize("Meets  Expectations") == "meets_expectations")
        #expect(RatingScale.normalize("Très bien") == "très_bien")  // not ASCII: the Character path
    }

    @Test("justification words: the byte path gives what the Character path gives")
    func words() {
        for text in Self.samples(5_000) {
            #expect(JustificationText.words(text) == JustificationText.unicodeWords(text), "\(text.debugDescription)")
        }
        #expect(
            JustificationText.words("Lab work Mon-Wed, analysis at home.") == [
                "lab", "work", "mon", "wed", "analysis", "at", "home",
            ])
    }
}
