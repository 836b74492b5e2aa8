import Foundation
import Logging
import Postgres

/// The connection settings fwactl reads from its environment.
enum Database {
    static var conninfo: String { ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "" }

    static func pool() -> PostgresPool {
        PostgresPool(configuration: .init(conninfo: conninfo, maxConnections: 2), logger: logger)
    }

    static let logger: Logger = {
        var logger = Logger(label: "fwactl")
        logger.logLevel = .info
        return logger
    }()

    /// Runs `body` with a pool and shuts the pool down afterwards.
    static func withPool<T: Sendable>(_ body: (PostgresPool) async throws -> T) async throws -> T {
        let pool = pool()
        do {
            let value = try await body(pool)
            await pool.shutdown()
            return value
        } catch {
            await pool.shutdown()
            throw error
        }
    }
}
