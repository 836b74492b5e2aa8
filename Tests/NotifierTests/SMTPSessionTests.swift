import Foundation
import Testing

@testable import Notifier

@Suite("SMTP connections kept open between messages (scripts/smtp-sink)")
struct SMTPSessionTests {
    private func client(_ sink: SMTPSink, idleLimit: Duration = .seconds(5)) -> SMTPClient {
        SMTPClient(
            configuration: SMTPConfiguration(host: "127.0.0.1", port: sink.port), heloName: "notifier.test",
            timeout: .seconds(20),
            sessions: SMTPSessionPool(idleLimit: idleLimit, capacity: 2))
    }

    private func envelope(_ subject: String, to recipient: String = testAddress("session")) -> SMTPEnvelope {
        SMTPEnvelope(
            from: "flexwork@notifier.test", recipients: [recipient],
            message: "Subject: \(subject)\r\n\r\nbody of \(subject)\r\n")
    }

    /// The client's end of the connection each stored message came on, in order.
    private func peers(_ messages: [ReceivedEmail]) -> [String] {
        messages.map { $0.header("x-sink-peer") ?? "?" }
    }

    @Test("consecutive messages go out on one connection; after the relay restarts, on a new one")
    func reuse() async throws {
        let sink = try await SMTPSink.start(environment: ["SMTP_SINK_PEER": "1"])
        let client = client(sink)
        for n in 1...3 { try await client.send(envelope("message \(n)")) }
        let first = try await sink.waitForMessages(3)
        #expect(first.count == 3)
        #expect(first.map { $0.header("subject") } == ["message 1", "message 2", "message 3"])
        #expect(Set(peers(first)).count == 1)
        #expect(client.sessions?.opened == 1)

        // The relay goes away and comes back on the same port: the kept connection is dead.
        await sink.stop()
        let again = try await SMTPSink.start(port: sink.port, environment: ["SMTP_SINK_PEER": "1"])
        try await client.send(envelope("after the restart"))
        try await client.send(envelope("and again"))
        let second = try await again.waitForMessages(2)
        #expect(second.map { $0.header("subject") } == ["after the restart", "and again"])
        #expect(Set(peers(second)).count == 1)
        #expect(Set(peers(second)).isDisjoint(with: peers(first)))
        #expect(client.sessions?.opened == 2)
        client.sessions?.shutdown()
        await again.stop()
    }

    @Test(
        "a connection idle past the limit is closed; a refused message closes its connection; none is kept after shutdown"
    )
    func closing() async throws {
        let sink = try await SMTPSink.start(environment: ["SMTP_SINK_PEER": "1"])
        let client = client(sink, idleLimit: .milliseconds(300))
        try await client.send(envelope("one"))
        try await Task.sleep(for: .milliseconds(1_500))  // the sweep runs every second
        try await client.send(envelope("two"))
        let error = await #expect(throws: SMTPError.self) {
            try await client.send(envelope("refused", to: testAddress("reject")))
        }
        #expect(error?.isPermanent == true)
        try await client.send(envelope("three"))
        let messages = try await sink.waitForMessages(3)
        #expect(messages.map { $0.header("subject") } == ["one", "two", "three"])
        // "one", "two" (after the idle limit), the refused one (on "two"'s connection), "three".
        #expect(Set(peers(messages)).count == 3)
        #expect(client.sessions?.opened == 3)

        // After shutdown no connection is kept: each message opens (and closes) its own.
        client.sessions?.shutdown()
        try await client.send(envelope("four"))
        try await client.send(envelope("five"))
        let after = try await sink.waitForMessages(5)
        #expect(Set(peers(Array(after.suffix(2)))).count == 2)
        #expect(client.sessions?.opened == 5)
        await sink.stop()
    }
}
