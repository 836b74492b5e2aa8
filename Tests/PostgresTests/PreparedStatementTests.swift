import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Prepared statements")
struct PreparedStatementTests {
    @Test("a prepared statement runs again with new parameters, NULL included, and survives a rolled-back transaction")
    func reuse() async throws {
        let pool = try await TestDatabase.pool(maxConnections: 1)
        let sql = "SELECT $1::bigint * 2 AS doubled, $2::text AS label"
        let first = try await pool.withConnection { try $0.query(prepared: sql, [21, "a"]).first! }
        #expect(try first.decode("doubled", as: Int.self) == 42)
        struct Abort: Error {}
        try? await pool.transaction { connection in
            _ = try connection.query(prepared: sql, [1, "in a transaction"])
            throw Abort()
        }
        let again = try await pool.withConnection { try $0.query(prepared: sql, [5, String?.none]).first! }
        #expect(try again.decode("doubled", as: Int.self) == 10)
        #expect(try again.decodeIfPresent("label", as: String.self) == nil)
        // Prepared once on the session (one connection in this pool), not once per call.
        let statements = try await pool.withConnection {
            try $0.query("SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1", sql).first!.decode(
                "n", as: Int.self)
        }
        #expect(statements == 1)
    }

    @Test("an error in a prepared statement carries its SQLSTATE, and the statement stays usable")
    func errors() async throws {
        let pool = try await TestDatabase.pool(maxConnections: 1)
        let sql = "SELECT 10 / $1::int AS q"
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try $0.query(prepared: sql, [0]) }
        }
        #expect(error?.sqlState == "22012")
        let row = try await pool.withConnection { try $0.query(prepared: sql, [5]).first! }
        #expect(try row.decode("q", as: Int.self) == 2)
    }
}
