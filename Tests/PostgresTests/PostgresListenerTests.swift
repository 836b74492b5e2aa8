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
        let listener = PostgresListener(
            conninfo: TestDatabase.conninfo, channels: [channel], logger: TestDatabase.logger,
            maxBackoff: .milliseconds(200))
        var events = listener.start().makeAsyncIterator()
        defer { listener.stop() }
        #expect(await events.next() == .connected(isReconnect: false))

        try await pool.withConnection { try $0.query("SELECT pg_notify($1, $2)", channel, "first") }
        #expect(await events.next() == .notification(channel: channel, payload: "first"))

        // Kill the listening backend: the listener must notice, reconnect and LISTEN again.
        try await pool.withConnection { connection in
            try connection.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
                listener.applicationName)
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
        let listener = PostgresListener(
            conninfo: TestDatabase.conninfo, channels: [channel], logger: TestDatabase.logger)
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

    @Test(
        "notifyAfterCommit: once per channel after the COMMIT, with the work visible; nothing on rollback; the session left idle"
    )
    func afterCommit() async throws {
        let pool = try await TestDatabase.pool(maxConnections: 1)
        let (first, second) = (TestDatabase.uniqueName("chan"), TestDatabase.uniqueName("chan"))
        let table = TestDatabase.uniqueName("woken")
        try await pool.withConnection { try $0.execute("CREATE TABLE \(table) (n int)") }
        let listener = PostgresListener(
            conninfo: TestDatabase.conninfo, channels: [first, second], logger: TestDatabase.logger)
        var events = listener.start().makeAsyncIterator()
        defer { listener.stop() }
        #expect(await events.next() == .connected(isReconnect: false))
        struct Abort: Error {}
        try? await pool.transaction { connection in
            connection.notifyAfterCommit(first)
            try connection.query("INSERT INTO \(table) VALUES (1)")
            throw Abort()
        }
        let inBody = try await pool.transaction { connection -> Bool in
            connection.pipeline("INSERT INTO \(table) VALUES (2)")
            connection.notifyAfterCommit(first)
            connection.notifyAfterCommit(second)
            connection.notifyAfterCommit(first)
            return connection.isInTransactionBody
        }
        #expect(inBody)
        var seen: [String] = []
        for _ in 0..<2 {
            guard case .notification(let channel, _) = await events.next() else {
                Issue.record("not a notification")
                return
            }
            seen.append(channel)
            // Sent after the COMMIT: the row is there for whoever the notification wakes.
            let rows: [Int] = try await pool.withConnection {
                try $0.query("SELECT n FROM \(table)").rows.map { try $0.decode("n") }
            }
            #expect(rows == [2])
        }
        #expect(Set(seen) == [first, second])
        try await pool.withConnection { connection in
            #expect(!connection.isInTransactionBody)
            let idle: String = try connection.query("SELECT current_setting('synchronous_commit') AS s").first!.decode(
                "s")
            #expect(idle == "on")  // SET LOCAL ended with the wake-up's transaction
            try connection.query("SELECT pg_notify($1, 'marker')", first)
        }
        // Nothing else was sent: the next notification is the marker (not a third wake-up, not the rolled-back one).
        #expect(await events.next() == .notification(channel: first, payload: "marker"))
    }

    @Test("a failing COMMIT is thrown and wakes nobody")
    func afterCommitFailure() async throws {
        let pool = try await TestDatabase.pool(maxConnections: 1)
        let channel = TestDatabase.uniqueName("chan")
        let table = TestDatabase.uniqueName("deferred")
        try await pool.withConnection {
            try $0.execute("CREATE TABLE \(table) (n int UNIQUE DEFERRABLE INITIALLY DEFERRED)")
        }
        let listener = PostgresListener(
            conninfo: TestDatabase.conninfo, channels: [channel], logger: TestDatabase.logger)
        var events = listener.start().makeAsyncIterator()
        defer { listener.stop() }
        #expect(await events.next() == .connected(isReconnect: false))
        let error = await #expect(throws: PostgresError.self) {
            try await pool.transaction { connection in
                connection.pipeline("INSERT INTO \(table) VALUES (1), (1)")  // fails only at COMMIT
                connection.notifyAfterCommit(channel)
            }
        }
        #expect(error?.sqlState == "23505")
        try await pool.withConnection { try $0.query("SELECT pg_notify($1, 'marker')", channel) }
        #expect(await events.next() == .notification(channel: channel, payload: "marker"))
    }

    @Test("a statement committed on its own wakes the listeners after its COMMIT; a failed one wakes nobody")
    func committingThenNotify() async throws {
        let pool = try await TestDatabase.pool(maxConnections: 1)
        let channel = TestDatabase.uniqueName("chan")
        let table = TestDatabase.uniqueName("single")
        try await pool.withConnection { try $0.execute("CREATE TABLE \(table) (n int PRIMARY KEY)") }
        let listener = PostgresListener(
            conninfo: TestDatabase.conninfo, channels: [channel], logger: TestDatabase.logger)
        var events = listener.start().makeAsyncIterator()
        defer { listener.stop() }
        #expect(await events.next() == .connected(isReconnect: false))
        let insert = "INSERT INTO \(table) VALUES ($1) RETURNING n * 10 AS tenfold"
        let tenfold: Int? = try await pool.withConnection {
            try $0.committing(prepared: insert, [1], thenNotify: [channel]).first?.decode("tenfold")
        }
        #expect(tenfold == 10)
        #expect(await events.next() == .notification(channel: channel, payload: ""))
        let rows: [Int] = try await pool.withConnection {
            try $0.query("SELECT n FROM \(table)").rows.map { try $0.decode("n") }
        }
        #expect(rows == [1])
        // A duplicate key: the error comes back, the session is out of its transaction, no wake-up.
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try $0.committing(prepared: insert, [1], thenNotify: [channel]) }
        }
        #expect(error?.sqlState == "23505")
        try await pool.withConnection { connection in
            let durable: String = try connection.query("SELECT current_setting('synchronous_commit') AS s").first!
                .decode("s")
            #expect(durable == "on")
            try connection.query("SELECT pg_notify($1, 'marker')", channel)
        }
        #expect(await events.next() == .notification(channel: channel, payload: "marker"))
    }
}

@Suite("LISTEN/NOTIFY with a callback")
struct PostgresListenerCallbackTests {
    @Test("start(onEvent:) reports the connection and each notification, and nothing after stop")
    func callback() async throws {
        let pool = try await TestDatabase.pool()
        let channel = TestDatabase.uniqueName("chan")
        let listener = PostgresListener(
            conninfo: TestDatabase.conninfo, channels: [channel], logger: TestDatabase.logger)
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
