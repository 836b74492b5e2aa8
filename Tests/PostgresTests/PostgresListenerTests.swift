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
