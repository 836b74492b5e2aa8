import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Pipelined statements")
struct PostgresPipelineTests {
    /// A table of its own per test: tests run in parallel.
    private func table(_ pool: PostgresPool) async throws -> String {
        let name = TestDatabase.uniqueName("pipe")
        try await pool.withConnection { try $0.execute("CREATE TABLE \(name) (n int PRIMARY KEY, at_backend int)") }
        return name
    }

    @Test("pipelined statements run in order before the next answered statement, on the same transaction")
    func order() async throws {
        let pool = try await TestDatabase.pool()
        let name = try await table(pool)
        let (seen, rolesInside) = try await pool.transaction { connection -> ([Int], String) in
            connection.pipeline("SET LOCAL application_name = 'pipelined'")
            for n in 1...3 { connection.pipeline("INSERT INTO \(name) (n) VALUES ($1)", n) }
            #expect(connection.hasPipelinedStatements)
            let seen = try connection.query("SELECT n FROM \(name) ORDER BY n").rows.map {
                try $0.decode("n", as: Int.self)
            }
            #expect(!connection.hasPipelinedStatements)
            let name: String = try connection.query("SELECT current_setting('application_name') AS a").first!.decode(
                "a")
            return (seen, name)
        }
        #expect(seen == [1, 2, 3])
        #expect(rolesInside == "pipelined")  // SET LOCAL ran inside the transaction
        let after: String = try await pool.withConnection {
            try $0.query("SELECT current_setting('application_name') AS a").first!.decode("a")
        }
        #expect(after != "pipelined")
    }

    @Test("a failing pipelined statement is thrown by the commit, and nothing of the transaction stays")
    func errorRollsBack() async throws {
        let pool = try await TestDatabase.pool()
        let name = try await table(pool)
        let error = await #expect(throws: PostgresError.self) {
            try await pool.transaction { connection in
                connection.pipeline("INSERT INTO \(name) (n) VALUES (1)")
                connection.pipeline("INSERT INTO \(name) (n) VALUES (1)")  // unique violation
                connection.pipeline("INSERT INTO \(name) (n) VALUES (2)")
            }
        }
        #expect(error?.sqlState == "23505")
        let count: Int = try await pool.withConnection {
            try $0.query("SELECT count(*) AS c FROM \(name)").first!.decode("c")
        }
        #expect(count == 0)
        // The connection is usable afterwards (back in the pool, out of pipeline mode).
        try await pool.transaction { try $0.query("INSERT INTO \(name) (n) VALUES (3)") }
        let rows: Int = try await pool.withConnection {
            try $0.query("SELECT count(*) AS c FROM \(name)").first!.decode("c")
        }
        #expect(rows == 1)
    }

    @Test("a transaction whose body throws before anything was sent sends nothing")
    func thrownBeforeSending() async throws {
        struct Refused: Error {}
        let pool = try await TestDatabase.pool(maxConnections: 1)
        let name = try await table(pool)
        await #expect(throws: Refused.self) {
            try await pool.transaction { connection in
                connection.pipeline("INSERT INTO \(name) (n) VALUES (1)")
                throw Refused()
            }
        }
        let count: Int = try await pool.withConnection { connection in
            #expect(!connection.hasPipelinedStatements)
            return try connection.query("SELECT count(*) AS c FROM \(name)").first!.decode("c")
        }
        #expect(count == 0)
    }

    @Test("statements pipelined outside a transaction are sent when the connection goes back to the pool")
    func flushedOnRelease() async throws {
        let pool = try await TestDatabase.pool()
        let name = try await table(pool)
        try await pool.withConnection { $0.pipeline("INSERT INTO \(name) (n) VALUES (7)") }
        let count: Int = try await pool.withConnection {
            try $0.query("SELECT count(*) AS c FROM \(name) WHERE n = 7").first!.decode("c")
        }
        #expect(count == 1)
        await #expect(throws: PostgresError.self) {
            try await pool.withConnection { $0.pipeline("INSERT INTO \(name) (n) VALUES ('not a number')") }
        }
    }

    @Test("prepared statements in a pipeline: prepared once per session in the same round trip, then only executed")
    func preparedInPipeline() async throws {
        let pool = try await TestDatabase.pool(maxConnections: 1)
        let name = try await table(pool)
        let insert = "INSERT INTO \(name) (n, at_backend) VALUES ($1, pg_backend_pid())"
        let (rows, statements) = try await pool.transaction { connection -> ([Int], [String]) in
            // The same text three times in one pipeline, unprepared before: one preparation.
            for n in 1...3 { connection.pipeline(prepared: insert, n) }
            let rows = try connection.query(prepared: "SELECT n FROM \(name) WHERE n >= $1 ORDER BY n", 1).rows.map {
                try $0.decode("n", as: Int.self)
            }
            let statements = try connection.query(
                "SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%' || $1 || '%' ORDER BY statement",
                name
            )
            .rows.map { try $0.decode("statement", as: String.self) }
            return (rows, statements)
        }
        #expect(rows == [1, 2, 3])
        #expect(statements.count == 2)
        #expect(statements.contains(insert))
        // Later uses on the session execute the statements it already has: none is prepared again.
        let (more, count) = try await pool.transaction { connection -> ([Int], Int) in
            connection.pipeline(prepared: insert, 4)
            let more = try connection.query(prepared: "SELECT n FROM \(name) WHERE n >= $1 ORDER BY n", 3).rows.map {
                try $0.decode("n", as: Int.self)
            }
            let count: Int = try connection.query(
                "SELECT count(*) AS c FROM pg_prepared_statements WHERE statement LIKE '%' || $1 || '%'", name
            ).first!.decode("c")
            return (more, count)
        }
        #expect(more == [3, 4])
        #expect(count == 2)
    }

    @Test("a preparation skipped after an error in the pipeline is not taken as done: the next use prepares it")
    func preparationAborted() async throws {
        let pool = try await TestDatabase.pool(maxConnections: 1)
        let name = try await table(pool)
        let insert = "INSERT INTO \(name) (n) VALUES ($1)"
        await #expect(throws: PostgresError.self) {
            try await pool.transaction { connection in
                connection.pipeline("SELECT 1 / 0")  // fails: everything after it in the pipeline is skipped
                connection.pipeline(prepared: insert, 1)
            }
        }
        try await pool.transaction { connection in
            connection.pipeline(prepared: insert, 2)
            _ = try connection.query(prepared: insert, 3)
        }
        let ns: [Int] = try await pool.withConnection {
            try $0.query("SELECT n FROM \(name) ORDER BY n").rows.map { try $0.decode("n") }
        }
        #expect(ns == [2, 3])
        // A statement that fails to prepare throws its error and leaves the session usable.
        let error = await #expect(throws: PostgresError.self) {
            try await pool.transaction { connection in
                connection.pipeline(prepared: "INSERT INTO \(name) (no_such_column) VALUES ($1)", 1)
            }
        }
        #expect(error?.sqlState == "42703")
        let count: Int = try await pool.withConnection {
            try $0.query(prepared: "SELECT count(*) AS c FROM \(name)").first!.decode("c")
        }
        #expect(count == 2)
    }
}
