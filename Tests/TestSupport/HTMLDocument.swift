import Foundation

/// An HTML document as a browser's tokenizer reads it: its start tags with their attributes, and
/// its text with character references decoded. Parsed by Python's `html.parser`, which, like
/// browsers and unlike Swift's `Character`s, reads code point by code point: a `<` that shares a
/// grapheme cluster with a mark still opens a tag.
public struct HTMLDocument: Sendable {
    /// One start tag: its name and attributes (names lowercased, values decoded).
    public struct Tag: Sendable, Equatable {
        public var name: String
        public var attributes: [[String]]

        /// The value of attribute `name`, if present.
        public func attribute(_ name: String) -> String? { attributes.first { $0.first == name }?.last }
    }

    public var tags: [Tag]
    /// The text content, joined.
    public var text: String

    private static let parser = """
        import json, sys
        from html.parser import HTMLParser
        class Collector(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.tags, self.text = [], []
            def handle_starttag(self, tag, attrs):
                self.tags.append({"name": tag, "attributes": [[k, v if v is not None else ""] for k, v in attrs]})
            def handle_startendtag(self, tag, attrs):
                self.handle_starttag(tag, attrs)
            def handle_data(self, data):
                self.text.append(data)
        collector = Collector()
        collector.feed(open(sys.argv[1], encoding="utf-8").read())
        collector.close()
        print(json.dumps({"tags": collector.tags, "text": "".join(collector.text)}))
        """

    /// Parses `html` (runs `python3`).
    public static func parse(_ html: String) throws -> HTMLDocument {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("html-\(UUID().uuidString).html")
        try Data(html.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", parser, file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let tags = object["tags"] as? [[String: Any]], let text = object["text"] as? String
        else { throw ParseFailure(status: process.terminationStatus) }
        return HTMLDocument(
            tags: tags.map {
                Tag(name: $0["name"] as? String ?? "", attributes: $0["attributes"] as? [[String]] ?? [])
            },
            text: text)
    }

    /// `python3` failed or printed something unexpected.
    public struct ParseFailure: Error {
        public var status: Int32
    }
}
