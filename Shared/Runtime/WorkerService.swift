import Foundation
import Hummingbird
import Logging
import Postgres
import Prometheus
import Queue
import Schema
import ServiceKit
import ServiceLifecycle
import Storage

/// The shape shared by the worker executables (approval-router, compliance-checker, notifier):
/// a pool, migrations when asked, queue workers, queue maintenance, the audit sealer and a health
/// server, every one a `Service` of one `ServiceGroup`. `main` and the tests both build workers
/// with it.
public struct WorkerService: Sendable {
    public let name: String
    public let settings: WorkerSettings
    public let pool: PostgresPool
    /// For the workers' LISTEN connections.
    public let conninfo: String
    public let logger: Logger

    public init(name: String, settings: WorkerSettings, pool: PostgresPool, conninfo: String, logger: Logger) {
        self.name = name
        self.settings = settings
        self.pool = pool
        self.conninfo = conninfo
        self.logger = logger
    }

    /// What `main` does: reads the worker settings (once, validated), opens the pool and runs
    /// migrations when `FWA_MIGRATE=1`. Logging and metrics are bootstrapped by the caller.
    public static func start(name: String, configuration: ServiceConfiguration, logger: Logger) async throws
        -> WorkerService
    {
        let settings = try WorkerSettings.read(configuration.environment)
        let pool = PostgresPool(
            configuration: .init(conninfo: configuration.conninfo, maxConnections: configuration.poolSize),
            logger: logger)
        if configuration.migrate {
            try await Schema.migrator().migrate(on: pool, logger: logger)
        }
        return WorkerService(
            name: name, settings: settings, pool: pool, conninfo: configuration.conninfo, logger: logger)
    }

    /// A worker on `queue` with `handlers`, using this service's pool and settings.
    public func worker(queue: String, handlers: JobHandlers) -> QueueWorker {
        QueueWorker(
            configuration: settings.worker(queue: queue), handlers: handlers, pool: pool, conninfo: conninfo,
            logger: logger)
    }

    /// The services of the group, in start order; the group stops them in reverse: the health
    /// server first, then the sealer, maintenance, the workers (which drain), the `resources`
    /// they use, and the pool last.
    public func services(
        workers: [QueueWorker], maintenance: QueueMaintenance.Configuration = .init(), resources: [any Service] = [],
        health: (host: String, port: Int, registry: PrometheusCollectorRegistry)? = nil
    ) throws -> [any Service] {
        var maintenance = maintenance
        maintenance.rescueAfter = settings.rescueAfter
        var services: [any Service] = [ResourceService(pool: pool)] + resources + workers
        services.append(QueueMaintenance(configuration: maintenance, pool: pool, logger: logger))
        services.append(AuditSealer(pool: pool, interval: settings.auditSealInterval, logger: logger))
        if let health {
            let router = Router()
            let listening = ReadinessCheck(name: "listener") {
                workers.allSatisfy(\.isListening) ? nil : "LISTEN connection not established"
            }
            HealthRoutes.add(
                to: router, checks: [.database(pool, migrator: try Schema.migrator()), listening],
                registry: health.registry)
            services.append(
                Application(
                    router: router,
                    configuration: .init(address: .hostname(health.host, port: health.port), serverName: name),
                    logger: logger))
        }
        return services
    }

    /// Runs the services until SIGTERM or SIGINT.
    public func run(_ services: [any Service]) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        logger.info("starting", metadata: ["services": "\(services.count)"])
        try await group.run()
    }
}

/// What each worker executable's `main` does: observability, the service, its workers, run.
public enum WorkerMain {
    /// What a worker executable runs: its workers, the maintenance it wants (periodic jobs) and
    /// the resources its handlers hold (closed after the workers stop).
    public struct Parts {
        public var workers: [QueueWorker]
        public var maintenance: QueueMaintenance.Configuration
        public var resources: [any Service]

        public init(
            workers: [QueueWorker], maintenance: QueueMaintenance.Configuration = .init(), resources: [any Service] = []
        ) {
            self.workers = workers
            self.maintenance = maintenance
            self.resources = resources
        }
    }

    /// Bootstraps logging and metrics, starts the service, asks `build` for its parts (reading
    /// the executable's own settings there), and runs them with a health server until a signal.
    /// A configuration problem exits with status 2 and one line naming the variable; any other
    /// start-up failure with status 1.
    public static func run(name: String, defaultPort: Int, build: (WorkerService, ServiceConfiguration) throws -> Parts)
        async
    {
        let configuration = ServiceMain.configuration(defaultPort: defaultPort)
        let registry = Observability.bootstrap(service: name, configuration: configuration)
        var logger = Logger(label: name)
        logger.logLevel = configuration.logLevel
        do {
            let service = try await WorkerService.start(name: name, configuration: configuration, logger: logger)
            let parts = try build(service, configuration)
            let services = try service.services(
                workers: parts.workers, maintenance: parts.maintenance, resources: parts.resources,
                health: (configuration.httpHost, configuration.httpPort, registry))
            try await service.run(services)
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        } catch {
            ServiceMain.fail(name, error)
        }
    }
}
