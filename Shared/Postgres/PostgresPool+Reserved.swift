extension PostgresPool {
    /// A connection taken from the pool for the length of an async operation, so that a query
    /// made at a precise moment (right after a remote server accepted something) does not wait for
    /// the pool. Its blocking calls still run on the pool's thread pool, which has one thread per
    /// connection, so a reserved connection never waits for a thread either.
    public struct ReservedConnection: Sendable {
        let connection: PostgresConnection
        let pool: PostgresPool

        /// Runs `body` on the reserved connection, on a thread-pool thread.
        @discardableResult
        public func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
            let connection = self.connection
            return try await pool.threadPool.runIfActive { try body(connection) }
        }
    }

    /// Runs `body` with a connection reserved for it alone until it returns; the connection goes
    /// back to the pool afterwards (or is dropped when it broke or was left inside a transaction).
    public func withReservedConnection<T: Sendable>(
        _ body: (ReservedConnection) async throws -> T
    ) async throws -> T {
        let connection = try await acquire()
        do {
            let value = try await body(ReservedConnection(connection: connection, pool: self))
            release(connection)
            return value
        } catch {
            release(connection)
            throw error
        }
    }
}
