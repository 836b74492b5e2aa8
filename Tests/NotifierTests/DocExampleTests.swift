import Foundation
import Testing

@testable import Notifier

@Suite("docs/notifications.md examples")
struct DocExampleTests {
    @Test("the Python receiver check accepts a fresh signature and refuses tampered, forged and replayed ones")
    func pythonVerification() throws {
        let document = try String(
            contentsOf: SMTPSink.repositoryRoot.appendingPathComponent("docs/notifications.md"), encoding: .utf8)
        let example = try #require(
            document.components(separatedBy: "```python\n").dropFirst().first?.components(separatedBy: "```").first)
        let secret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        let body = Data(
            #"{"data":{},"delivery_id":"d","event_key":"e","kind":"alert","request_id":null,"tenant_id":"t"}"#.utf8)
        let now = Int(Date().timeIntervalSince1970)
        let old = now - 301
        let fresh = WebhookSignature.sign(secret: secret, timestamp: now, body: body)
        let replayed = WebhookSignature.sign(secret: secret, timestamp: old, body: body)
        let cases: [(timestamp: Int, body: Data, signature: String, secret: String, expected: String)] = [
            (now, body, fresh, secret, "True"),
            (now, body + Data(" ".utf8), fresh, secret, "False"),
            (now, body, WebhookSignature.sign(secret: "other", timestamp: now, body: body), secret, "False"),
            (old, body, replayed, secret, "False"),
        ]
        for item in cases {
            let script =
                example + """

                    import sys
                    print(verify(sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3]), sys.argv[4]))
                    """
            let output = try runPython(
                script,
                arguments: [
                    item.secret, String(item.timestamp), item.body.map { String(format: "%02x", $0) }.joined(),
                    item.signature,
                ])
            #expect(output == item.expected, "timestamp \(item.timestamp)")
        }
        // The Swift helper agrees on the same inputs.
        try WebhookSignature.verify(secret: secret, timestamp: String(now), body: body, signature: fresh)
        #expect(throws: WebhookSignature.Failure.staleTimestamp) {
            try WebhookSignature.verify(secret: secret, timestamp: String(old), body: body, signature: replayed)
        }
    }

    private func runPython(_ script: String, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
