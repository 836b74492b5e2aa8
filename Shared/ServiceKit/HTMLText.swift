/// Text placed in HTML (an email's HTML part, the intake's action page), escaped one Unicode
/// scalar at a time.
///
/// Escaping per `Character` (grapheme cluster) misses markup: `"\u{600}<a href=…>"` is one
/// Character that starts with U+0600 (a prepended mark), so a table of `Character`s never sees
/// its `<`, while an HTML parser, which reads code points, sees a tag. The same holds for `<`,
/// `"` or `&` followed by a combining mark or a zero-width joiner.
public enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references, wherever they
    /// are in a grapheme cluster; safe in element content and in quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
