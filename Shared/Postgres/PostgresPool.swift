import Logging
import NIOPosix
import Synchronization

/// A small pool of libpq connections whose blocking calls run on a dedicated `NIOThreadPool`,
/// never on the Swift concurrency pool.
public final class PostgresPool: Sendable {
    /// How to connect and how many connections to keep.
    public struct Configuration: Sendable {
        /// A libpq connection string or URI; "" lets libpq read the `PG*` variables.
        public var conninfo: String
        /// The most connections open at once; also the thread pool's size.
        public var maxConnections: Int

        public init(conninfo: String, maxConnections: Int = 8) {
            self.conninfo = conninfo
            self.maxConnections = max(1, maxConnections)
        }
    }

    private enum Lease: Sendable {
        case reuse(PostgresConnection)
        case openNew
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Lease, any Error>
    }

    private struct State: ~Copyable {
        var idle: [PostgresConnection] = []
        var open = 0
        var waiters: [Waiter] = []
        var cancelled: Set<UInt64> = []
        var nextWaiterID: UInt64 = 0
        var closed = false
    }

    public let configuration: Configuration
    let threadPool: NIOThreadPool
    private let state = Mutex(State())
    private let logger: Logger

    public init(configuration: Configuration, logger: Logger = Logger(label: "postgres")) {
        self.configuration = configuration
        self.logger = logger
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.maxConnections)
        threadPool.start()
    }

    /// Runs `body` with a connection, on a thread-pool thread.
    @discardableResult
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let connection = try await acquire()
        do {
            let value = try await threadPool.runIfActive {
                let value = try body(connection)
                try connection.sendPipeline()
                return value
            }
            release(connection)
            return value
        } catch {
            release(connection)
            throw error
        }
    }

    /// Runs `body` inside `BEGIN … COMMIT` on one connection; any thrown error rolls back.
    @discardableResult
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await withConnection { connection in try connection.transaction { try body(connection) } }
    }

    /// Closes idle connections and stops the thread pool; later calls fail with `poolClosed`.
    public func shutdown() async {
        let (idle, waiters) = state.withLock { state -> ([PostgresConnection], [Waiter]) in
            state.closed = true
            defer {
                state.idle = []
                state.waiters = []
            }
            return (state.idle, state.waiters)
        }
        waiters.forEach {
            $0.continuation.resume(throwing: PostgresError(kind: .poolClosed, message: "pool is shut down"))
        }
        _ = idle
        try? await threadPool.shutdownGracefully()
    }

    func acquire() async throws -> PostgresConnection {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let lease: Lease = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                enqueue(Waiter(id: id, continuation: continuation))
            }
        } onCancel: {
            cancelWaiter(id)
        }
        switch lease {
        case .reuse(let connection) where connection.hasPendingInput:
            // Closed by the server while idle (a restart, pg_terminate_backend): drop it and
            // take another, rather than fail the caller's statement with it.
            logger.debug(
                "dropping a pooled connection closed by the server", metadata: ["pid": "\(connection.backendPID)"])
            connectionClosed()
            return try await acquire()
        case .reuse(let connection):
            return connection
        case .openNew:
            do {
                let conninfo = configuration.conninfo
                return try await threadPool.runIfActive { try PostgresConnection.connect(conninfo) }
            } catch {
                connectionClosed()
                throw error
            }
        }
    }

    private func enqueue(_ waiter: Waiter) {
        let lease: Result<Lease, any Error>? = state.withLock { state in
            if state.closed { return .failure(PostgresError(kind: .poolClosed, message: "pool is shut down")) }
            if state.cancelled.remove(waiter.id) != nil { return .failure(CancellationError()) }
            if let connection = state.idle.popLast() { return .success(.reuse(connection)) }
            if state.open < configuration.maxConnections {
                state.open += 1
                return .success(.openNew)
            }
            state.waiters.append(waiter)
            return nil
        }
        if let lease { waiter.continuation.resume(with: lease) }
    }

    private func cancelWaiter(_ id: UInt64) {
        let waiter: Waiter? = state.withLock { state in
            if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                return state.waiters.remove(at: index)
            }
            state.cancelled.insert(id)
            return nil
        }
        waiter?.continuation.resume(throwing: CancellationError())
    }

    func release(_ connection: PostgresConnection) {
        guard connection.isHealthy, connection.isIdleInTransaction == false else {
            connectionClosed()
            return
        }
        let waiter: Waiter? = state.withLock { state in
            if state.closed {
                state.open -= 1
                return nil
            }
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.continuation.resume(returning: .reuse(connection))
    }

    /// A connection was dropped: free its slot, or hand the slot to a waiter.
    private func connectionClosed() {
        let waiter: Waiter? = state.withLock { state in
            if state.waiters.isEmpty || state.closed {
                state.open -= 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.continuation.resume(returning: .openNew)
    }
}
