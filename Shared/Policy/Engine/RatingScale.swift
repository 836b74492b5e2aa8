/// A tenant's rating scale, for comparing ratings by rank (`lt meets_expectations`).
struct RatingScale: Sendable {
    private let ranks: [String: Int]

    init(levels: [RatingLevel]) {
        var ranks: [String: Int] = [:]
        for (rank, level) in levels.enumerated() {
            for word in [level.id] + (level.aliases ?? []) { ranks[RatingScale.normalize(word)] = rank }
        }
        self.ranks = ranks
    }

    /// Rank of a rating (0 = lowest), or `nil` when it is not on the scale.
    func rank(of rating: String) -> Int? {
        ranks[RatingScale.normalize(rating)]
    }

    /// Lowercase, with spaces and hyphens as underscores: "Meets Expectations" → `meets_expectations`.
    /// ASCII text (nearly every rating) is folded byte by byte: Character's Unicode properties
    /// were a tenth of an evaluation's time.
    static func normalize(_ text: String) -> String {
        guard ASCIIText.isASCII(text) else { return normalizeUnicode(text) }
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        var pendingSeparator = false
        for byte in text.utf8 {
            let lower = ASCIIText.lowercased(byte)
            if ASCIIText.isAlphanumeric(lower) {
                if pendingSeparator, !result.isEmpty { result.append(UInt8(ascii: "_")) }
                pendingSeparator = false
                result.append(lower)
            } else {
                pendingSeparator = true
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// `normalize` for any text, by Character.
    static func normalizeUnicode(_ text: String) -> String {
        var result = ""
        var pendingSeparator = false
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingSeparator, !result.isEmpty { result.append("_") }
                pendingSeparator = false
                result.append(character)
            } else {
                pendingSeparator = true
            }
        }
        return result
    }
}
