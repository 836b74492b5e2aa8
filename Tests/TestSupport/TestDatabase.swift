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
    /// The approval-router's kind of login, in `fwa_router` (migration 0010), created with the schema.
    public static let routerLogin = "fwa_test_router"
    /// The compliance-checker's kind of login, in `fwa_checker` (migration 0010).
    public static let checkerLogin = "fwa_test_checker"
    /// The notifier's kind of login, in `fwa_notifier` (migration 0010).
    public static let notifierLogin = "fwa_test_notifier"
    /// Each worker service's test login and its group role.
    public static let workerLogins = [
        (routerLogin, "fwa_router"), (checkerLogin, "fwa_checker"), (notifierLogin, "fwa_notifier"),
    ]

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
        let pool = PostgresPool(
            configuration: .init(conninfo: conninfo, maxConnections: maxConnections), logger: logger)
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
    static let loginsSQL: String = {
        let logins = [(TestDatabase.intakeLogin, "fwa_intake")] + TestDatabase.workerLogins
        let creates = logins.map { login, group in
            "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(login)') THEN CREATE ROLE \(login) LOGIN IN ROLE \(group); END IF;"
        }
        return "DO $$ BEGIN PERFORM pg_advisory_xact_lock(hashtext('fwa_test_logins')); "
            + creates.joined(separator: " ") + " END $$"
    }()

    func value(_ pool: PostgresPool) async throws {
        guard !done else { return }
        try await Schema.migrator().migrate(on: pool, logger: TestDatabase.logger)
        try await pool.withConnection { try $0.execute(Self.loginsSQL) }
        done = true
    }
}
