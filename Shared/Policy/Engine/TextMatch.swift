/// Comparisons without allocation: ASCII case folding, surrounding spaces ignored.
enum TextMatch {
    static func equal<Left: StringProtocol, Right: StringProtocol>(_ lhs: Left, _ rhs: Right) -> Bool {
        let left = trimmed(Substring(lhs).utf8)
        let right = trimmed(Substring(rhs).utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { fold($0) == fold($1) }
    }

    /// Whether `text` contains `needle`, ignoring ASCII case.
    static func contains(_ text: String, _ needle: String) -> Bool {
        let haystack = text.utf8
        let pattern = trimmed(Substring(needle).utf8)
        guard !pattern.isEmpty else { return true }
        var start = haystack.startIndex
        while start != haystack.endIndex {
            var candidate = start
            var probe = pattern.startIndex
            while probe != pattern.endIndex, candidate != haystack.endIndex,
                fold(haystack[candidate]) == fold(pattern[probe])
            {
                candidate = haystack.index(after: candidate)
                probe = pattern.index(after: probe)
            }
            if probe == pattern.endIndex { return true }
            start = haystack.index(after: start)
        }
        return false
    }

    private static func fold(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }

    private static func trimmed(_ view: Substring.UTF8View) -> Substring.UTF8View {
        var low = view.startIndex
        var high = view.endIndex
        while low != high, view[low] == 32 || view[low] == 9 { low = view.index(after: low) }
        while high != low {
            let before = view.index(before: high)
            guard view[before] == 32 || view[before] == 9 else { break }
            high = before
        }
        return view[low..<high]
    }
}

extension TextMatch {
    /// Whether a jurisdiction entry (`US-NJ`, or a bare country `CA`) covers the location.
    static func covers(_ entry: String, country: String, region: String?) -> Bool {
        guard let dash = entry.firstIndex(of: "-") else { return equal(entry, country) }
        guard let region else { return false }
        return equal(entry[..<dash], country) && equal(entry[entry.index(after: dash)...], region)
    }
}
