import Foundation

/// A message as the SMTP sink stored it, split into headers and decoded MIME parts.
struct ReceivedEmail: Sendable {
    let raw: String
    /// Header names lowercased; folded lines joined.
    let headers: [(name: String, value: String)]
    let text: String?
    let html: String?

    init(raw: String) {
        self.raw = raw
        let (head, body) = Self.split(raw)
        headers = Self.parseHeaders(head)
        var text: String?
        var html: String?
        let contentType = headers.first { $0.name == "content-type" }?.value ?? ""
        if let range = contentType.range(of: "boundary=\"") {
            let boundary = contentType[range.upperBound...].prefix { $0 != "\"" }
            for chunk in body.components(separatedBy: "--" + boundary).dropFirst() where !chunk.hasPrefix("--") {
                let (partHead, partBody) = Self.split(String(chunk.drop { $0 == "\r\n" || $0 == "\n" }))
                let partHeaders = Self.parseHeaders(partHead)
                let type = partHeaders.first { $0.name == "content-type" }?.value ?? ""
                let compact = partBody.filter { !$0.isWhitespace }
                let decoded = Data(base64Encoded: compact).map { String(decoding: $0, as: UTF8.self) } ?? partBody
                if type.hasPrefix("text/plain") { text = decoded }
                if type.hasPrefix("text/html") { html = decoded }
            }
        }
        self.text = text
        self.html = html
    }

    /// The first value of a header.
    func header(_ name: String) -> String? { headers.first { $0.name == name.lowercased() }?.value }

    private static func split(_ text: String) -> (String, String) {
        for separator in ["\r\n\r\n", "\n\n"] {
            if let range = text.range(of: separator) {
                return (String(text[..<range.lowerBound]), String(text[range.upperBound...]))
            }
        }
        return (text, "")
    }

    private static func parseHeaders(_ head: String) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        for line in head.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                headers.append(
                    (
                        line[..<colon].lowercased(),
                        line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    ))
            }
        }
        return headers
    }
}
