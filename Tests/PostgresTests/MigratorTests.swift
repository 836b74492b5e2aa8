import Foundation
import Logging
import Postgres
import Schema
import TestSupport
import Testing

@Suite("Migrations")
struct MigratorTests {
    @Test("the product's migrations are current after a run, and running again applies nothing")
    func rerunIsNoOp() async throws {
        let pool = try await TestDatabase.pool()
        let migrator = try Schema.migrator()
        #expect(try await migrator.pending(on: pool).isEmpty)
        #expect(try await migrator.migrate(on: pool, logger: TestDatabase.logger).isEmpty)
        let versions = try Schema.migrations().map(\.version)
        #expect(versions == versions.sorted() && Set(versions).count == versions.count)
    }

    @Test("a failing migration rolls back whole and is not recorded; concurrent migrators apply once")
    func failureRollsBack() async throws {
        let pool = try await TestDatabase.pool()
        let version = Int.random(in: 1_000_000...9_000_000)
        let table = TestDatabase.uniqueName("t_mig")
        let broken = Migration(version: version, name: "broken", sql: "CREATE TABLE \(table) (v int); SELECT 1/0;")
        await #expect(throws: PostgresError.self) {
            try await Migrator(migrations: [broken]).migrate(on: pool, logger: TestDatabase.logger)
        }
        let exists = try await pool.withConnection {
            try $0.query("SELECT to_regclass($1) IS NOT NULL AS e", table).first!.decode("e", as: Bool.self)
        }
        #expect(exists == false)

        let good = Migration(version: version, name: "good", sql: "CREATE TABLE \(table) (v int);")
        let applied = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await Migrator(migrations: [good]).migrate(on: pool, logger: TestDatabase.logger).count
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(applied == 1)
        let edited = Migration(version: version, name: "good", sql: "CREATE TABLE \(table) (v bigint);")
        await #expect(throws: MigrationError.self) {
            try await Migrator(migrations: [edited]).migrate(on: pool, logger: TestDatabase.logger)
        }
        try await pool.withConnection { connection in
            try connection.execute("DROP TABLE \(table)")
            try connection.query("DELETE FROM fwa_schema_migrations WHERE version = $1", version)
        }
    }
}
