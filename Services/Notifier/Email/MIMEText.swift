import Foundation

/// The small pieces of RFC 5322 / RFC 2045–2047 the notifier's messages need.
enum MIMEText {
    /// A header value with every control character (CR and LF above all: header injection)
    /// replaced by a space, runs of spaces collapsed, and trimmed.
    static func headerValue(_ text: String) -> String {
        var out = ""
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let isSpace =
                scalar.value < 0x20 || scalar.value == 0x7F || scalar == " "
                || scalar == "\u{2028}" || scalar == "\u{2029}" || scalar == "\u{85}"
            if isSpace {
                if !lastWasSpace { out.unicodeScalars.append(" ") }
                lastWasSpace = true
            } else {
                out.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
        }
        return out.trimmingCharacters(in: .whitespaces)
    }

    /// An unstructured header value (a subject): plain when it is short printable ASCII, otherwise
    /// RFC 2047 encoded words (`=?UTF-8?B?…?=`) folded onto continuation lines.
    static func encodedHeaderValue(_ text: String) -> String {
        let clean = headerValue(text)
        if clean.utf8.count <= 900, clean.unicodeScalars.allSatisfy({ $0.isASCII }), !clean.contains("=?") {
            return clean
        }
        var words: [String] = []
        var chunk = ""
        for character in clean {
            // 45 bytes of UTF-8 make 60 base64 characters: each encoded word stays under 75.
            if chunk.utf8.count + String(character).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }

    /// Base64 in lines of 76 characters, each ending in CRLF.
    static func base64Lines(_ text: String) -> String {
        let encoded = Data(text.utf8).base64EncodedString()
        var out = ""
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            out += encoded[index..<end] + "\r\n"
            index = end
        }
        return out
    }

    /// An RFC 5322 date in UTC: `Sat, 22 Nov 2025 13:52:01 +0000`.
    static func date(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d +0000", days[Int(parts.tm_wday)], Int(parts.tm_mday),
            months[Int(parts.tm_mon)], Int(parts.tm_year) + 1900, Int(parts.tm_hour), Int(parts.tm_min),
            Int(parts.tm_sec))
    }
}
