/// One reply of an SMTP server: the three-digit code and the text of its line(s).
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    /// The text of every line, joined by spaces.
    var text: String { lines.joined(separator: " ") }

    /// 2xx and 3xx.
    var isPositive: Bool { (200..<400).contains(code) }

    /// The EHLO keywords (`STARTTLS`, `AUTH PLAIN LOGIN`, …), uppercased, from the lines after the greeting.
    var extensions: [String] { lines.dropFirst().map { $0.uppercased() } }
}
