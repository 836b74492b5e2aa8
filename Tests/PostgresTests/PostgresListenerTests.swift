import Foundation
import Postgres
import TestSupport
import Testing

@Suite("LISTEN/NOTIFY")
struct PostgresListenerTests {
    @Test("delivers notifications; when its connection is killed it says so, reconnects, re-listens and says so")
    func reconnects() async throws {
        let pool = try await TestDatabase.pool()
        let channel = TestDatabase.uniqueName("chan")
        let listener = PostgresListener(conninfo: TestDatabase.conninfo, channels: [channel], logger: TestDatabase.logger, maxBackoff: .milliseconds(200))
        var events = listener.start().makeAsyncIterator()
        defer { listener.stop() }
        #expect(await events.next() == .connected(isReconnect: false))

        try await pool.withConnection { try $0.query("SELECT pg_notify($1, $2)", channel, "first") }
        #expect(await events.next() == .notification(channel: channel, payload: "first"))

        // Kill the listening backend: the listener must notice, reconnect and LISTEN again.
        try await pool.withConnection { connection in
            try connection.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", listener.applicationName)
        }
        #expect(await events.next() == .disconnected)
        #expect(await events.next() == .connected(isReconnect: true))
        try await pool.withConnection { try $0.query("SELECT pg_notify($1, $2)", channel, "second") }
        #expect(await events.next() == .notification(channel: channel, payload: "second"))
    }

    @Test("a notification sent inside a rolled-back transaction never arrives")
    func onlyOnCommit() async throws {
        let pool = try await TestDatabase.pool()
        let channel = TestDatabase.uniqueName("chan")
        let listener = PostgresListener(conninfo: TestDatabase.conninfo, channels: [channel], logger: TestDatabase.logger)
        var events = listener.start().makeAsyncIterator()
        defer { listener.stop() }
        #expect(await events.next() == .connected(isReconnect: false))
        struct Abort: Error {}
        try? await pool.transaction { connection in
            try connection.query("SELECT pg_notify($1, 'rolled-back')", channel)
            throw Abort()
        }
        try await pool.transaction { try $0.query("SELECT pg_notify($1, 'committed')", channel) }
        #expect(await events.next() == .notification(channel: channel, payload: "committed"))
    }
}

@Suite("LISTEN/NOTIFY with a callback")
struct PostgresListenerCallbackTests {
    @Test("start(onEvent:) reports the connection and each notification, and nothing after stop")
    func callback() async throws {
        let pool = try await TestDatabase.pool()
        let channel = TestDatabase.uniqueName("chan")
        let listener = PostgresListener(conninfo: TestDatabase.conninfo, channels: [channel], logger: TestDatabase.logger)
        let (events, continuation) = AsyncStream.makeStream(of: ListenerEvent.self)
        listener.start { continuation.yield($0) }
        var iterator = events.makeAsyncIterator()
        #expect(await iterator.next() == .connected(isReconnect: false))
        try await pool.withConnection { try $0.query("SELECT pg_notify($1, $2)", channel, "one") }
        #expect(await iterator.next() == .notification(channel: channel, payload: "one"))
        listener.stop()
        try await Task.sleep(for: .milliseconds(300))  // the thread notices the stop within 100 ms
        try await pool.withConnection { try $0.query("SELECT pg_notify($1, $2)", channel, "late") }
        try await Task.sleep(for: .milliseconds(300))
        continuation.finish()
        #expect(await iterator.next() == nil, "no event after stop")
    }
}
