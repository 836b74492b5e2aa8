import Foundation
import Logging
import Postgres
import Schema

/// The database the integration tests use: `DATABASE_URL` (or the `PG*` variables), migrated
/// once per process. `scripts/test` starts a throwaway PostgreSQL and sets them.
public enum TestDatabase {
    /// The connection string the tests use (a superuser or the schema's owner: it migrates).
    public static var conninfo: String { ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "" }

    /// A login in the intake's group role `fwa_intake` (migration 0006), created with the schema.
    public static let intakeLogin = "fwa_test_intake"
    /// A login in the workers' group role `fwa_worker` (migration 0006), created with the schema.
    public static let workerLogin = "fwa_test_worker"

    /// `conninfo` as another login (the test cluster trusts local connections): libpq takes the
    /// last value of a setting, in a URI's query as in a key=value string.
    public static func conninfo(user: String) -> String {
        let base = conninfo
        if base.isEmpty { return "user=\(user)" }
        if base.hasPrefix("postgres://") || base.hasPrefix("postgresql://") {
            return base + (base.contains("?") ? "&" : "?") + "user=\(user)"
        }
        return base + " user=\(user)"
    }

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

    /// The test logins, each in its service group, created once per cluster (roles are
    /// cluster-wide; the lock orders concurrent test processes).
    static let loginsSQL = """
        DO $$
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext('fwa_test_logins'));
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(TestDatabase.intakeLogin)') THEN
                CREATE ROLE \(TestDatabase.intakeLogin) LOGIN IN ROLE fwa_intake;
            END IF;
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(TestDatabase.workerLogin)') THEN
                CREATE ROLE \(TestDatabase.workerLogin) LOGIN IN ROLE fwa_worker;
            END IF;
        END $$
        """

    func value(_ pool: PostgresPool) async throws {
        guard !done else { return }
        try await Schema.migrator().migrate(on: pool, logger: TestDatabase.logger)
        try await pool.withConnection { try $0.execute(Self.loginsSQL) }
        done = true
    }
}
