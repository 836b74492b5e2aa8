import Postgres
import ServiceLifecycle

/// Keeps the database pool open while the service group runs and closes it on shutdown, after
/// the HTTP server (started earlier in the group) has stopped.
struct PoolService: Service {
    let pool: PostgresPool

    func run() async throws {
        try? await gracefulShutdown()
        await pool.shutdown()
    }
}
