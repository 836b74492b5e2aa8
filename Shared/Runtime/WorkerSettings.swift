import Queue
import ServiceKit

/// How a worker service claims and runs jobs, read once from the environment at start and
/// validated there (a bad value stops the service before it does anything).
public struct WorkerSettings: Sendable {
    /// Jobs run at once by each worker (`FWA_WORKER_CONCURRENCY`).
    public var concurrency = 16
    /// Most jobs claimed by one statement (`FWA_WORKER_BATCH`, at most `concurrency`).
    public var batchSize = 16
    /// The longest sleep without a notification (`FWA_POLL_INTERVAL`).
    public var pollInterval: Duration = .seconds(2)
    /// How long running jobs may finish on shutdown (`FWA_SHUTDOWN_GRACE`).
    public var shutdownGrace: Duration = .seconds(10)
    /// A running job without a heartbeat this long is rescued (`FWA_RESCUE_AFTER`).
    public var rescueAfter: Duration = .seconds(60)
    /// How often the audit trail is sealed (`FWA_AUDIT_SEAL_INTERVAL`).
    public var auditSealInterval: Duration = .seconds(1)
    public var heartbeatInterval: Duration = .seconds(5)
    public var retry = RetryPolicy()
    /// Only claim jobs of these tenants (nil: every tenant).
    public var tenants: [String]?

    public init() {}

    /// The settings from the environment; throws the first bad value, naming its variable.
    public static func read(_ environment: EnvironmentReader) throws -> WorkerSettings {
        var settings = WorkerSettings()
        settings.concurrency = try environment.int("FWA_WORKER_CONCURRENCY", default: 16, range: 1...1000)
        settings.batchSize = min(
            settings.concurrency, try environment.int("FWA_WORKER_BATCH", default: 16, range: 1...1000))
        settings.pollInterval = try environment.seconds("FWA_POLL_INTERVAL", default: .seconds(2), range: 0.05...300)
        settings.shutdownGrace = try environment.seconds("FWA_SHUTDOWN_GRACE", default: .seconds(10), range: 0...600)
        settings.rescueAfter = try environment.seconds("FWA_RESCUE_AFTER", default: .seconds(60), range: 1...86_400)
        settings.auditSealInterval = try environment.seconds(
            "FWA_AUDIT_SEAL_INTERVAL", default: .seconds(1), range: 0.05...3_600)
        return settings
    }

    /// A queue worker's configuration on `queue`. Heartbeats come well within `rescueAfter`, or
    /// live jobs would be rescued and run twice.
    public func worker(queue: String) -> QueueWorker.Configuration {
        var configuration = QueueWorker.Configuration(queue: queue)
        configuration.concurrency = concurrency
        configuration.batchSize = batchSize
        configuration.pollInterval = pollInterval
        configuration.shutdownGrace = shutdownGrace
        configuration.heartbeatInterval = min(heartbeatInterval, rescueAfter / 3)
        configuration.retry = retry
        configuration.tenants = tenants
        return configuration
    }
}
