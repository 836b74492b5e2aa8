/// What one SMTP transaction carries: the envelope addresses and the message text (CRLF lines,
/// not yet dot-stuffed).
struct SMTPEnvelope: Sendable {
    var from: String
    var recipients: [String]
    var message: String

    /// The message as the DATA command sends it: every line ends in CRLF (a bare LF or CR becomes
    /// CRLF), a line starting with "." gets another ".", and "." alone ends it (RFC 5321 §4.5.2).
    var dataSection: String {
        let normalized = message.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        var data = ""
        data.reserveCapacity(message.utf8.count + 64)
        for line in lines {
            if line.hasPrefix(".") { data += "." }
            data += line
            data += "\r\n"
        }
        return data + ".\r\n"
    }
}
