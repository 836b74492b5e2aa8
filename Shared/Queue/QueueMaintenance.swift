import Foundation
import Logging
import Metrics
import Postgres
import ServiceLifecycle

/// Rescues jobs whose worker died, prunes old finished jobs and enqueues periodic jobs. Every
/// replica runs it; a transaction-scoped advisory lock lets one node at a time rescue and prune.
public final class QueueMaintenance: Service {
    public struct Configuration: Sendable {
        public var interval: Duration = .seconds(1)
        /// A running job silent this long is taken back and retried.
        public var rescueAfter: Duration = .seconds(60)
        /// Completed and cancelled jobs are deleted this long after they finished.
        public var retention: Duration = .seconds(7 * 24 * 3600)
        public var periodicJobs: [PeriodicJob] = []
        /// Retention statements the lock holder also runs each round, e.g. deleting expired
        /// idempotency records (each should delete a bounded, indexed batch).
        public var retentionStatements: [String] = []
        public init() {}
    }

    /// The advisory lock key for maintenance.
    public static let lockKey: Int64 = 0x6677_615f_6d61_696e  // "fwa_main"

    let configuration: Configuration
    let pool: PostgresPool
    let logger: Logger

    public init(configuration: Configuration, pool: PostgresPool, logger: Logger) {
        self.configuration = configuration
        self.pool = pool
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.runOnce()
                } catch {
                    self.logger.warning("queue maintenance failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.configuration.interval)
            }
        }
    }

    /// One round: periodic jobs (on every node: their unique keys make each firing one job, and
    /// services configure different ones), then rescue and pruning if this node gets the lock.
    /// Returns false when another node holds the lock.
    @discardableResult
    public func runOnce(now: Date = Date()) async throws -> Bool {
        let configuration = self.configuration
        if !configuration.periodicJobs.isEmpty {
            try await pool.transaction { connection in
                for periodic in configuration.periodicJobs {
                    try JobQueue.enqueue(periodic.firing(at: periodic.latestFireTime(atOrBefore: now)), on: connection)
                }
            }
        }
        let report = try await pool.transaction { connection -> MaintenanceReport? in
            let locked = try connection.query(
                "SELECT pg_try_advisory_xact_lock($1) AS locked", QueueMaintenance.lockKey)
            guard try locked.first?.decode("locked", as: Bool.self) == true else { return nil }
            for statement in configuration.retentionStatements { try connection.query(statement) }
            return try MaintenanceReport(
                rescued: QueueMaintenance.rescue(after: configuration.rescueAfter, on: connection),
                pruned: connection.query(QueueSQL.prune, configuration.retention.inSeconds, 10_000).affectedRows)
        }
        guard let report else { return false }
        if report.rescued > 0 {
            logger.warning("rescued jobs from stopped workers", metadata: ["jobs": "\(report.rescued)"])
            Counter(label: "fwa_jobs_rescued_total").increment(by: report.rescued)
        }
        if report.pruned > 0 { logger.debug("pruned finished jobs", metadata: ["jobs": "\(report.pruned)"]) }
        return true
    }

    private static func rescue(after: Duration, on connection: PostgresConnection) throws -> Int {
        let rows = try connection.query(QueueSQL.rescue, after.inSeconds).rows
        for queue in Set(try rows.map { try $0.decode("queue", as: String.self) }) {
            try connection.query("SELECT pg_notify($1, '')", JobQueue.channel(for: queue))
        }
        return rows.count
    }
}

struct MaintenanceReport: Sendable {
    let rescued: Int
    let pruned: Int
}
