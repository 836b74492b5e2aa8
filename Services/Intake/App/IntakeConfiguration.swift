import Egress
import Foundation
import Logging
import ServiceKit

/// Everything the intake service needs to run, as values: `main` reads the environment into
/// it, tests build it directly.
struct IntakeConfiguration: Sendable {
    /// The libpq connection string ("" lets libpq read the `PG*` variables).
    var conninfo: String
    var host: String
    /// 0 picks a free port (tests).
    var port: Int
    var poolSize: Int
    var logLevel: Logger.Level
    /// Apply pending migrations at start.
    var migrate: Bool
    /// The platform operator's bearer token (`FWA_ADMIN_TOKEN`).
    var adminToken: String
    /// The public base URL, used in `Location` headers and action links (`FWA_PUBLIC_URL`);
    /// empty for relative `Location` values.
    var publicURL: String
    /// The largest request body accepted (`FWA_MAX_BODY_BYTES`); tenant policies may be 4× that.
    var maxBodyBytes: Int
    /// The HMAC key of action links (`FWA_ACTION_LINK_SECRET`); nil disables action links.
    var actionLinkSecret: String?
    /// Prune idempotency records older than a day in this process; off in tests.
    var prunesIdempotencyKeys: Bool
    /// How long a connection may stay silent (no complete request head or body part) before the
    /// server closes it, so that slow or stalled clients cannot hold connections forever.
    var idleTimeout: Duration = .seconds(30)
    /// Which webhook URLs a tenant policy may name (`FWA_WEBHOOK_ALLOW_HTTP`,
    /// `FWA_WEBHOOK_ALLOW_PRIVATE`; by default https to public addresses only).
    var webhookRules = WebhookRules()
    /// The most time a request's whole body may take to arrive (`FWA_BODY_READ_TIMEOUT_SECONDS`),
    /// however steadily it trickles; then `408` and the connection is closed.
    var bodyReadTimeout: Duration = .seconds(15)
    /// The most connections one client address may hold open (`FWA_MAX_CONNECTIONS_PER_CLIENT`;
    /// 0 for no bound). Further connections are closed as they open.
    var maxConnectionsPerClient: Int = 128
    /// Requests per second and burst per client address (`FWA_RATE_LIMIT_PER_CLIENT`,
    /// `FWA_RATE_LIMIT_PER_CLIENT_BURST`), before authentication; a rate of 0 turns it off.
    var rateLimitPerClient = RateLimiter.Rate(perSecond: 100, burst: 200)
    /// Requests per second and burst per tenant API key (`FWA_RATE_LIMIT_PER_KEY`,
    /// `FWA_RATE_LIMIT_PER_KEY_BURST`), after authentication; a rate of 0 turns it off.
    var rateLimitPerKey = RateLimiter.Rate(perSecond: 50, burst: 100)

    /// The service's settings from the shared configuration and the intake's own variables.
    /// Throws a `ConfigurationError` naming the first variable at fault.
    static func from(_ service: ServiceConfiguration) throws -> IntakeConfiguration {
        let env = service.environment
        let admin = try env.secret("FWA_ADMIN_TOKEN", minimumLength: 16)
        let publicURL = env.string("FWA_PUBLIC_URL", default: "")
        if !publicURL.isEmpty, URL(string: publicURL)?.scheme == nil {
            throw ConfigurationError(
                variable: "FWA_PUBLIC_URL",
                problem: "expected an absolute URL such as https://intake.example.edu, got \"\(publicURL)\"")
        }
        let secret = try env.optionalSecret("FWA_ACTION_LINK_SECRET", minimumLength: 32)
        let webhookRules: WebhookRules
        do {
            webhookRules = try WebhookRules.read(env.values)
        } catch {
            throw ConfigurationError(variable: error.variable, problem: error.problem)
        }
        var configuration = IntakeConfiguration(
            conninfo: service.conninfo, host: service.httpHost, port: service.httpPort, poolSize: service.poolSize,
            logLevel: service.logLevel, migrate: service.migrate, adminToken: admin,
            publicURL: publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL,
            maxBodyBytes: try env.int("FWA_MAX_BODY_BYTES", default: 256 * 1024, range: 1024...(64 * 1024 * 1024)),
            actionLinkSecret: secret, prunesIdempotencyKeys: true)
        configuration.webhookRules = webhookRules
        try configuration.readAbuseLimits(env)
        return configuration
    }

    /// The body deadline, connection bound and rate limits (defaults above).
    private mutating func readAbuseLimits(_ env: EnvironmentReader) throws {
        bodyReadTimeout = try env.seconds("FWA_BODY_READ_TIMEOUT_SECONDS", default: bodyReadTimeout, range: 1...600)
        maxConnectionsPerClient = try env.int(
            "FWA_MAX_CONNECTIONS_PER_CLIENT", default: maxConnectionsPerClient, range: 0...100_000)
        rateLimitPerClient = try Self.rate(env, "FWA_RATE_LIMIT_PER_CLIENT", default: rateLimitPerClient)
        rateLimitPerKey = try Self.rate(env, "FWA_RATE_LIMIT_PER_KEY", default: rateLimitPerKey)
    }

    /// `<name>` requests a second (0 = off) and `<name>_BURST` (default twice the rate, at least the rate).
    private static func rate(_ env: EnvironmentReader, _ name: String, default fallback: RateLimiter.Rate) throws
        -> RateLimiter.Rate
    {
        let perSecond = try env.int(name, default: fallback.perSecond, range: 0...1_000_000)
        guard perSecond > 0 else { return .off }
        let burst = try env.int(
            name + "_BURST", default: env.optional(name) == nil ? fallback.burst : perSecond * 2, range: 1...10_000_000)
        guard burst >= perSecond else {
            throw ConfigurationError(
                variable: name + "_BURST", problem: "must be at least \(name) (\(perSecond)), got \(burst)")
        }
        return RateLimiter.Rate(perSecond: perSecond, burst: burst)
    }
}
