import Logging

/// One numbered schema change.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// A stable checksum of the SQL text (FNV-1a, 64 bits), to detect a migration edited after it ran.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// Applies migrations in order, once, under a PostgreSQL advisory lock, each in its own
/// transaction, recording them in `fwa_schema_migrations`. Forward-only.
public struct Migrator: Sendable {
    public let migrations: [Migration]
    /// The advisory lock key that serializes migrators across processes.
    public static let lockKey: Int64 = 0x6677_615f_6d69_67  // "fwa_mig"

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies every pending migration and returns the ones it applied.
    @discardableResult
    public func migrate(on pool: PostgresPool, logger: Logger) async throws -> [Migration] {
        let migrations = self.migrations
        return try await pool.withConnection { connection in
            try connection.query("SELECT pg_advisory_lock($1)", Migrator.lockKey)
            defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", Migrator.lockKey) }
            try Migrator.createTable(connection)
            let applied = try Migrator.appliedChecksums(connection)
            var done: [Migration] = []
            for migration in migrations {
                if let checksum = applied[migration.version] {
                    guard checksum == migration.checksum else {
                        throw MigrationError.changedAfterApply(migration.version, migration.name)
                    }
                    continue
                }
                try connection.transaction {
                    try connection.execute(migration.sql)
                    try connection.query(
                        "INSERT INTO fwa_schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                        migration.version, migration.name, migration.checksum)
                }
                logger.info(
                    "migration applied", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                done.append(migration)
            }
            return done
        }
    }

    /// The migrations not yet applied (empty when the schema is current).
    public func pending(on pool: PostgresPool) async throws -> [Migration] {
        let migrations = self.migrations
        return try await pool.withConnection { connection in
            let exists = try connection.query("SELECT to_regclass('fwa_schema_migrations') IS NOT NULL AS present")
            guard try exists.first?.decode("present", as: Bool.self) == true else { return migrations }
            let applied = try Migrator.appliedChecksums(connection)
            return migrations.filter { applied[$0.version] == nil }
        }
    }

    private static func createTable(_ connection: PostgresConnection) throws {
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS fwa_schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }

    private static func appliedChecksums(_ connection: PostgresConnection) throws -> [Int: String] {
        let rows = try connection.query("SELECT version, checksum FROM fwa_schema_migrations").rows
        var applied: [Int: String] = [:]
        for row in rows { applied[try row.decode("version")] = try row.decode("checksum", as: String.self) }
        return applied
    }
}

/// Why migrating stopped.
public enum MigrationError: Error, CustomStringConvertible {
    case changedAfterApply(Int, String)
    case badFileName(String)

    public var description: String {
        switch self {
        case .changedAfterApply(let version, let name):
            "migration \(version) (\(name)) was edited after it was applied; migrations are forward-only, add a new one"
        case .badFileName(let name):
            "migration file \(name) must be named NNNN_description.sql"
        }
    }
}
