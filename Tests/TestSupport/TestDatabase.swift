import Foundation
import Logging
import Postgres
import Schema

/// The database the integration tests use: `DATABASE_URL` (or the `PG*` variables), migrated
/// once per process. `scripts/test` starts a throwaway PostgreSQL and sets them.
public enum TestDatabase {
    /// The connection string the tests use.
    public static var conninfo: String { ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "" }

    public static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }()

    /// A new pool on a migrated database. Fails with a clear message when no database is configured.
    public static func pool(maxConnections: Int = 8) async throws -> PostgresPool {
        let environment = ProcessInfo.processInfo.environment
        guard environment["DATABASE_URL"] != nil || environment["PGHOST"] != nil else {
            throw TestDatabaseError.notConfigured
        }
        let pool = PostgresPool(configuration: .init(conninfo: conninfo, maxConnections: maxConnections), logger: logger)
        try await migrated.value(pool)
        return pool
    }

    private static let migrated = MigrateOnce()

    /// A name unique to this process and call, for a test's own queue, channel or tenant.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
    }
}

public enum TestDatabaseError: Error, CustomStringConvertible {
    case notConfigured
    public var description: String {
        "integration tests need a PostgreSQL: run scripts/test, or set DATABASE_URL (or PGHOST, PGPORT, …)"
    }
}

/// Runs the migrations once per process (they are also safe to run concurrently: advisory lock).
final actor MigrateOnce {
    private var done = false

    func value(_ pool: PostgresPool) async throws {
        guard !done else { return }
        try await Schema.migrator().migrate(on: pool, logger: TestDatabase.logger)
        done = true
    }
}
