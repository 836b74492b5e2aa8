import Hummingbird
import Logging
import OpenAPIHummingbird
import Postgres
import Prometheus
import Runtime
import Schema
import ServiceKit
import ServiceLifecycle

/// Builds the intake service: the pool, migrations when asked, the router with its middleware,
/// the generated OpenAPI handlers, health routes, and idempotency record pruning. `main` and the tests
/// both call it.
func buildApplication(
    _ configuration: IntakeConfiguration, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "intake")
    logger.logLevel = configuration.logLevel
    let pool = PostgresPool(
        configuration: .init(conninfo: configuration.conninfo, maxConnections: configuration.poolSize), logger: logger)
    let migrator = try Schema.migrator()
    if configuration.migrate { try await migrator.migrate(on: pool, logger: logger) }

    let router = Router(context: IntakeRequestContext.self)
    router.add(
        middleware: ObservabilityMiddleware(logger: logger, metrics: PrometheusMetricsFactory(registry: registry)))
    router.add(middleware: ActionPageHeaders())
    router.add(middleware: ProblemMiddleware())
    // Order matters: limits and credentials are checked from the request's head before any of
    // its body is read, so an unauthenticated upload costs neither memory nor a database query.
    router.add(middleware: ClientRateLimitMiddleware(limiter: RateLimiter(rate: configuration.rateLimitPerClient)))
    router.add(
        middleware: AuthMiddleware(
            adminToken: configuration.adminToken, pool: pool, keys: APIKeyLookup(pool: pool),
            keyLimiter: RateLimiter(rate: configuration.rateLimitPerKey),
            actionLinkSecret: configuration.actionLinkSecret))
    router.add(
        middleware: BodyLimitMiddleware(
            maxBytes: configuration.maxBodyBytes, readTimeout: configuration.bodyReadTimeout))
    HealthRoutes.add(to: router, checks: [.database(pool, migrator: migrator)], registry: registry)
    let api = IntakeAPI(pool: pool, configuration: configuration)
    try api.registerHandlers(on: FilteredTransport(base: router, excluded: ["/healthz", "/readyz", "/metrics"]))

    var services: [any Service] = [ResourceService(pool: pool)]
    // Idempotency records answer retries for a day, then go.
    if configuration.prunesIdempotencyKeys { services.append(IdempotencyPruning(pool: pool, logger: logger)) }
    let connections = ClientConnections(maxPerClient: configuration.maxConnectionsPerClient)
    return Application(
        router: router,
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [ConnectionGuard(connections: connections)],
                idleTimeout: .nanoseconds(configuration.idleTimeout.inNanoseconds))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "intake"),
        services: services,
        logger: logger)
}
