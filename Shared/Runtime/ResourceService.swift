import Postgres
import ServiceLifecycle

/// Keeps a resource open while its service group runs and closes it on shutdown. A group shuts
/// its services down in reverse order, so a resource listed before the services that use it
/// (the pool first of all) closes after they have stopped.
public struct ResourceService: Service {
    let close: @Sendable () async -> Void

    public init(close: @escaping @Sendable () async -> Void) { self.close = close }

    /// The database pool, closed last.
    public init(pool: PostgresPool) { self.init { await pool.shutdown() } }

    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
