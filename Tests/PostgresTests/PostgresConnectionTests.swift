import Foundation
import Postgres
import TestSupport
import Testing

@Suite("PostgreSQL access over libpq")
struct PostgresConnectionTests {
    @Test("parameters round-trip through typed decoding, NULL included")
    func typedRoundTrip() async throws {
        let pool = try await TestDatabase.pool()
        let now = Date(timeIntervalSince1970: 1_790_000_000.123456)
        let id = UUID()
        let row = try await pool.withConnection { connection in
            try connection.query(
                "SELECT $1::text AS s, $2::bigint AS i, $3::boolean AS b, $4::timestamptz AS t, $5::uuid AS u, $6::text AS n, $7::text[] AS a, $8::jsonb AS j",
                [
                    "it's \"quoted\" ; DROP TABLE x", 42, true, now, id, String?.none, ["a,b", "c\"d"],
                    JSONText("{\"k\": [1, 2]}"),
                ]
            ).first!
        }
        #expect(try row.decode("s", as: String.self) == "it's \"quoted\" ; DROP TABLE x")
        #expect(try row.decode("i", as: Int.self) == 42)
        #expect(try row.decode("b", as: Bool.self) == true)
        #expect(abs(try row.decode("t", as: Date.self).timeIntervalSince(now)) < 0.000_01)
        #expect(try row.decode("u", as: UUID.self) == id)
        #expect(try row.decodeIfPresent("n", as: String.self) == nil)
        #expect(try row.decode("a", as: String.self) == "{\"a,b\",\"c\\\"d\"}")
        #expect(try row.decode("j", as: JSONText.self).text == "{\"k\": [1, 2]}")
    }

    @Test("decoding NULL or a wrong type fails with the column named")
    func decodingErrors() async throws {
        let pool = try await TestDatabase.pool()
        let row = try await pool.withConnection {
            try $0.query("SELECT NULL::int AS missing, 'abc'::text AS word").first!
        }
        let null = #expect(throws: PostgresError.self) { try row.decode("missing", as: Int.self) }
        #expect(null?.kind == .decoding && null?.message.contains("missing") == true)
        let wrong = #expect(throws: PostgresError.self) { try row.decode("word", as: Int.self) }
        #expect(wrong?.message.contains("word") == true)
        #expect(throws: PostgresError.self) { try row.decode("nope", as: String.self) }
    }

    @Test("a unique violation keeps its SQLSTATE and constraint")
    func uniqueViolation() async throws {
        let pool = try await TestDatabase.pool()
        let table = TestDatabase.uniqueName("t_unique")
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { connection in
                try connection.execute("CREATE TABLE \(table) (k text PRIMARY KEY)")
                try connection.query("INSERT INTO \(table) VALUES ($1)", "x")
                try connection.query("INSERT INTO \(table) VALUES ($1)", "x")
            }
        }
        #expect(error?.isUniqueViolation == true)
        #expect(error?.sqlState == "23505")
        #expect(error?.constraint == "\(table)_pkey")
        try await pool.withConnection { try $0.execute("DROP TABLE \(table)") }
    }

    @Test("a serialization failure is told apart from other errors")
    func serializationFailure() async throws {
        let pool = try await TestDatabase.pool()
        let table = TestDatabase.uniqueName("t_serial")
        let conninfo = TestDatabase.conninfo
        let error = try await pool.withConnection { setup -> PostgresError? in
            try setup.execute("CREATE TABLE \(table) (v int)")
            let first = try PostgresConnection.connect(conninfo)
            let second = try PostgresConnection.connect(conninfo)
            for connection in [first, second] {
                try connection.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
                try connection.query("SELECT coalesce(sum(v), 0) FROM \(table)")
            }
            try first.query("INSERT INTO \(table) VALUES (1)")
            try second.query("INSERT INTO \(table) VALUES (2)")
            try first.execute("COMMIT")
            do {
                try second.execute("COMMIT")
                return nil
            } catch let error as PostgresError {
                return error
            }
        }
        #expect(error?.isSerializationFailure == true)
        #expect(error?.isTransient == true)
        #expect(error?.isUniqueViolation == false)
        try await pool.withConnection { try $0.execute("DROP TABLE \(table)") }
    }

    @Test("a transaction commits on return and rolls back on a thrown error")
    func transactions() async throws {
        let pool = try await TestDatabase.pool()
        let table = TestDatabase.uniqueName("t_tx")
        try await pool.withConnection { try $0.execute("CREATE TABLE \(table) (v text)") }
        try await pool.transaction { try $0.query("INSERT INTO \(table) VALUES ($1)", "kept") }
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await pool.transaction { connection in
                try connection.query("INSERT INTO \(table) VALUES ($1)", "dropped")
                throw Abort()
            }
        }
        let values = try await pool.withConnection {
            try $0.query("SELECT v FROM \(table) ORDER BY v").rows.map { try $0.decode("v", as: String.self) }
        }
        #expect(values == ["kept"])
        try await pool.withConnection { try $0.execute("DROP TABLE \(table)") }
    }

    @Test("more callers than connections all get served, never more connections than the limit")
    func poolLimit() async throws {
        let pool = try await TestDatabase.pool(maxConnections: 3)
        let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    try await pool.withConnection { connection in
                        try connection.query("SELECT pg_sleep(0.01)")
                        return connection.backendPID
                    }
                }
            }
            return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
        }
        #expect(pids.count <= 3)
        #expect(pids.count >= 1)
        await pool.shutdown()
    }

    @Test("connections the server closed while idle in the pool are replaced, not handed out")
    func idleConnectionsClosedByTheServer() async throws {
        let pool = try await TestDatabase.pool(maxConnections: 3)
        // Three connections in use at once, then idle in the pool.
        let before = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await pool.withConnection {
                        try $0.query("SELECT pg_sleep(0.05)")
                        return $0.backendPID
                    }
                }
            }
            return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
        }
        #expect(before.count == 3)
        // What a server restart does to each of them: FATAL 57P01, then the socket closes.
        let admin = try PostgresConnection.connect(TestDatabase.conninfo)
        let pids: [any PostgresEncodable] = [before.map { Int($0) }]
        let terminated = try admin.query(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM unnest($1::integer[]) AS pid", pids
        )
        .rows.first?.decode("n", as: Int.self)
        #expect(terminated == 3)
        for _ in 0..<100 {
            let alive = try admin.query(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE pid = ANY($1::integer[])", pids
            )
            .rows.first?.decode("n", as: Int.self)
            if alive == 0 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Every caller gets a working connection: none of the closed ones.
        let after = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await pool.withConnection {
                        try $0.query("SELECT pg_sleep(0.05)")
                        return $0.backendPID
                    }
                }
            }
            return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
        }
        #expect(after.count == 3)
        #expect(after.isDisjoint(with: before))
        await pool.shutdown()
    }
}
