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

    /// The service's settings from the shared configuration and the intake's own variables.
    /// Throws a `ConfigurationError` naming the first variable at fault.
    static func from(_ service: ServiceConfiguration) throws -> IntakeConfiguration {
        let env = service.environment
        let admin = try env.secret("FWA_ADMIN_TOKEN", minimumLength: 16)
        let publicURL = env.string("FWA_PUBLIC_URL", default: "")
        if !publicURL.isEmpty, URL(string: publicURL)?.scheme == nil {
            throw ConfigurationError(variable: "FWA_PUBLIC_URL", problem: "expected an absolute URL such as https://intake.example.edu, got \"\(publicURL)\"")
        }
        let secret = try env.optionalSecret("FWA_ACTION_LINK_SECRET", minimumLength: 32)
        return IntakeConfiguration(
            conninfo: service.conninfo, host: service.httpHost, port: service.httpPort, poolSize: service.poolSize,
            logLevel: service.logLevel, migrate: service.migrate, adminToken: admin,
            publicURL: publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL,
            maxBodyBytes: try env.int("FWA_MAX_BODY_BYTES", default: 256 * 1024, range: 1024...(64 * 1024 * 1024)),
            actionLinkSecret: secret, prunesIdempotencyKeys: true)
    }
}
