/// Reading a justification as words, to tell "personal reasons" alone from a real reason.
enum JustificationText {
    /// Words that carry no reason by themselves.
    static let fillers: Set<String> = [
        "a", "an", "and", "or", "the", "for", "of", "my", "our", "due", "to", "because", "only", "just",
        "purely", "solely", "simply", "it", "is", "are", "i", "reason", "reasons", "other", "various", "some",
    ]

    /// Lowercase words of letters and digits. ASCII text is split byte by byte (as `normalize`).
    static func words(_ text: String) -> [String] {
        guard ASCIIText.isASCII(text) else { return unicodeWords(text) }
        var words: [String] = []
        var word: [UInt8] = []
        for byte in text.utf8 {
            let lower = ASCIIText.lowercased(byte)
            if ASCIIText.isAlphanumeric(lower) {
                word.append(lower)
            } else if !word.isEmpty {
                words.append(String(decoding: word, as: UTF8.self))
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }

    /// `words` for any text, by Character.
    static func unicodeWords(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// Whether the words are only the listed phrases' words and fillers.
    static func onlyPhrases(_ words: [String], _ phrases: [String]) -> Bool {
        let allowed = fillers.union(phrases.flatMap { self.words($0) })
        return words.allSatisfy { allowed.contains($0) }
    }
}
