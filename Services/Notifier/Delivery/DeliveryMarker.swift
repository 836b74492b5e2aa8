import Foundation
import Logging
import Metrics
import Postgres

/// Records a delivery as delivered the moment its receiver accepted it (the SMTP 250 after DATA,
/// a webhook's 2xx), with one autocommit UPDATE on a connection reserved before sending.
///
/// Between the acceptance and that commit, a crash means the message is sent again on retry (with
/// the same Message-ID or delivery id): exactly-once is impossible over SMTP. The marker keeps that
/// window as short as it can be: the connection is taken before the first byte is sent (the pool
/// hands out none the server closed while it sat idle), from a pool of its own (the job pool's
/// connections may all be busy, or waiting behind a tenant's audit lock), and the UPDATE takes no
/// lock but the row's. The audit event and the job's completion follow in a transaction of their
/// own (`DeliveryStore.recordNotified`).
///
/// The window, acceptance to commit, is observed as `fwa_delivery_unmarked_seconds{channel}`.
struct DeliveryMarker: Sendable {
    let pool: PostgresPool

    /// - Parameter connections: at most this many connections; give the worker's concurrency, so
    ///   that reserving one never waits for another delivery.
    init(conninfo: String, connections: Int, logger: Logger) {
        pool = PostgresPool(configuration: .init(conninfo: conninfo, maxConnections: connections), logger: logger)
    }

    /// Runs `body` (the send) with a connection ready to mark the delivery. Throws
    /// `DeliveryMarker.NotReady`, before anything is sent, when the database cannot be reached.
    func withReadyConnection<T: Sendable>(_ body: (ReadyConnection) async throws -> T) async throws -> T {
        // The pool hands out no connection the server has closed while it sat idle (after a
        // database restart, say): it drops those and opens a new one, which fails here when the
        // database is down.
        var reserved = false
        do {
            return try await pool.withReservedConnection { connection in
                reserved = true
                return try await body(ReadyConnection(reserved: connection))
            }
        } catch  where !reserved {
            throw NotReady(reason: String(describing: error))
        }
    }

    /// Closes the marker's connections.
    func shutdown() async { await pool.shutdown() }

    /// A reserved, live connection.
    struct ReadyConnection: Sendable {
        let reserved: PostgresPool.ReservedConnection

        /// Marks the delivery delivered, now; returns the time from the call (the acceptance just
        /// arrived) to the commit.
        @discardableResult
        func markDelivered(_ id: UUID, channel: DeliveryChannel, messageID: String?) async throws -> Duration {
            let start = ContinuousClock.now
            try await reserved.run { try DeliveryStore.markDelivered(id, messageID: messageID, on: $0) }
            let window = ContinuousClock.now - start
            Timer(
                label: "fwa_delivery_unmarked_seconds", dimensions: [("channel", channel.rawValue)],
                preferredDisplayUnit: .seconds
            )
            .record(duration: window)
            return window
        }
    }

    /// The database could not be reached before sending: nothing was sent; the job is retried.
    struct NotReady: Error, CustomStringConvertible {
        var reason: String
        var description: String { "delivery not sent: the database is not reachable (\(reason.prefix(300)))" }
    }
}
