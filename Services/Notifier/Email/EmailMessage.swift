import Foundation

/// One notification email: a `multipart/alternative` message with a plain-text and an HTML part.
/// Every header value is cleaned of CR/LF and other control characters, so data in a subject
/// cannot add headers.
struct EmailMessage: Sendable {
    var from: String
    var to: String
    var subject: String
    var date: Date
    /// Without angle brackets: `<hex>@flexwork`.
    var messageID: String
    var requestID: UUID?
    var text: String
    var html: String

    /// The message in wire form (CRLF line ends), ready for `SMTPEnvelope`.
    var rendered: String {
        let boundary = "=_flexwork_" + messageID.prefix(24).filter { $0.isLetter || $0.isNumber }
        var headers: [(String, String)] = [
            ("From", MIMEText.headerValue(from)),
            ("To", MIMEText.headerValue(to)),
            ("Subject", MIMEText.encodedHeaderValue(subject)),
            ("Date", MIMEText.date(date)),
            ("Message-ID", "<" + MIMEText.headerValue(messageID) + ">"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "multipart/alternative; boundary=\"\(boundary)\""),
            ("Auto-Submitted", "auto-generated"),
        ]
        if let requestID { headers.append(("X-Flexwork-Request-Id", requestID.uuidString.lowercased())) }
        var out = headers.map { "\($0.0): \($0.1)\r\n" }.joined()
        out += "\r\n"
        out += "This is a multipart message in MIME format.\r\n"
        out += part(boundary: boundary, contentType: "text/plain; charset=utf-8", body: text)
        out += part(boundary: boundary, contentType: "text/html; charset=utf-8", body: html)
        out += "--\(boundary)--\r\n"
        return out
    }

    private func part(boundary: String, contentType: String, body: String) -> String {
        "--\(boundary)\r\nContent-Type: \(contentType)\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + MIMEText.base64Lines(body)
    }
}
