import Foundation
import Hummingbird
import Prometheus
import Logging
import Postgres
import Queue
import Schema
import ServiceLifecycle
import Storage

/// The shape shared by the worker executables (approval-router, compliance-checker, notifier):
/// a pool, migrations when asked, queue workers, queue maintenance and a health server.
public struct WorkerService: Sendable {
    public let name: String
    public let configuration: ServiceConfiguration
    public let pool: PostgresPool
    public let logger: Logger
    public let registry: PrometheusCollectorRegistry

    /// Sets up logging, metrics and the pool; runs migrations when `FWA_MIGRATE=1`.
    public static func start(name: String, configuration: ServiceConfiguration) async throws -> WorkerService {
        let registry = Observability.bootstrap(service: name, configuration: configuration)
        var logger = Logger(label: name)
        logger.logLevel = configuration.logLevel
        let pool = PostgresPool(configuration: .init(conninfo: configuration.conninfo, maxConnections: configuration.poolSize), logger: logger)
        if configuration.migrate {
            try await Schema.migrator().migrate(on: pool, logger: logger)
        }
        return WorkerService(name: name, configuration: configuration, pool: pool, logger: logger, registry: registry)
    }

    /// Runs the workers, maintenance and health server until SIGTERM or SIGINT.
    public func run(workers: [QueueWorker], maintenance: QueueMaintenance.Configuration = .init()) async throws {
        var maintenance = maintenance
        maintenance.rescueAfter = try configuration.environment.seconds("FWA_RESCUE_AFTER", default: maintenance.rescueAfter, range: 1...86_400)
        let router = Router()
        let listening = ReadinessCheck(name: "listener") {
            workers.allSatisfy(\.isListening) ? nil : "LISTEN connection not established"
        }
        HealthRoutes.add(to: router, checks: [.database(pool, migrator: try Schema.migrator()), listening], registry: registry)
        let http = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: name),
            logger: logger)
        let sealInterval = try configuration.environment.seconds("FWA_AUDIT_SEAL_INTERVAL", default: .seconds(1), range: 0.05...3_600)
        let services: [any Service] = workers + [
            QueueMaintenance(configuration: maintenance, pool: pool, logger: logger),
            AuditSealer(pool: pool, interval: sealInterval, logger: logger), http,
        ]
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        logger.info("starting", metadata: ["http": "\(configuration.httpHost):\(configuration.httpPort)", "workers": "\(workers.count)"])
        try await group.run()
        await pool.shutdown()
    }

    /// A worker on `queue` with handlers, using this service's pool and settings.
    public func worker(queue: String, handlers: [String: any JobHandler], concurrency: Int = 16) throws -> QueueWorker {
        var workerConfiguration = QueueWorker.Configuration(queue: queue)
        workerConfiguration.concurrency = try workerConcurrency(default: concurrency)
        workerConfiguration.batchSize = min(workerConfiguration.concurrency, try configuration.environment.int("FWA_WORKER_BATCH", default: 16, range: 1...1000))
        workerConfiguration.pollInterval = try configuration.environment.seconds("FWA_POLL_INTERVAL", default: .seconds(2), range: 0.05...300)
        workerConfiguration.shutdownGrace = try configuration.environment.seconds("FWA_SHUTDOWN_GRACE", default: .seconds(10), range: 0...600)
        // Heartbeats must come well within FWA_RESCUE_AFTER, or live jobs are rescued and run twice.
        let rescueAfter = try configuration.environment.seconds("FWA_RESCUE_AFTER", default: .seconds(60), range: 1...86_400)
        workerConfiguration.heartbeatInterval = min(workerConfiguration.heartbeatInterval, rescueAfter / 3)
        return QueueWorker(configuration: workerConfiguration, handlers: handlers, pool: pool, conninfo: configuration.conninfo, logger: logger)
    }

    /// How many jobs a worker made by `worker(queue:handlers:concurrency:)` runs at once
    /// (`FWA_WORKER_CONCURRENCY`).
    public func workerConcurrency(default concurrency: Int = 16) throws -> Int {
        try configuration.environment.int("FWA_WORKER_CONCURRENCY", default: concurrency, range: 1...1000)
    }
}
