import Foundation
import Logging

/// What every service reads from the environment.
public struct ServiceConfiguration: Sendable {
    /// The libpq connection string: `DATABASE_URL`, or "" so libpq reads `PGHOST`, `PGPORT`, ….
    public var conninfo: String
    public var httpHost: String
    public var httpPort: Int
    public var logLevel: Logger.Level
    /// `json` or `text`.
    public var logFormat: String
    /// Apply pending migrations at start (`FWA_MIGRATE=1`).
    public var migrate: Bool
    /// Connections in this process's pool (`FWA_DB_POOL_SIZE`).
    public var poolSize: Int
    /// The raw environment, for settings particular to one service.
    public var environment: EnvironmentReader

    /// Reads the settings; throws the first problem, naming its variable.
    public static func fromEnvironment(_ values: [String: String], defaultPort: Int) throws -> ServiceConfiguration {
        let env = EnvironmentReader(values)
        let conninfo = env.optional("DATABASE_URL") ?? ""
        if conninfo.isEmpty, env.optional("PGHOST") == nil, env.optional("PGSERVICE") == nil {
            throw ConfigurationError(
                variable: "DATABASE_URL",
                problem: "is required (or set the libpq PGHOST/PGPORT/PGUSER/PGDATABASE variables)")
        }
        if !conninfo.isEmpty,
            !(conninfo.hasPrefix("postgres://") || conninfo.hasPrefix("postgresql://") || conninfo.contains("="))
        {
            throw ConfigurationError(
                variable: "DATABASE_URL", problem: "expected a postgres:// URI or a libpq key=value string")
        }
        try checkDatabasePassword(conninfo: conninfo, env)
        let level = try env.oneOf(
            "LOG_LEVEL", ["trace", "debug", "info", "notice", "warning", "error", "critical"], default: "info")
        return ServiceConfiguration(
            conninfo: conninfo,
            httpHost: env.string("FWA_HTTP_HOST", default: "127.0.0.1"),
            httpPort: try env.int("FWA_HTTP_PORT", default: defaultPort, range: 0...65535),
            logLevel: Logger.Level(rawValue: level) ?? .info,
            logFormat: try env.oneOf("LOG_FORMAT", ["json", "text"], default: "json"),
            migrate: try env.bool("FWA_MIGRATE", default: false),
            poolSize: try env.int("FWA_DB_POOL_SIZE", default: 8, range: 1...200),
            environment: env)
    }

    /// A database password given to the service (in `DATABASE_URL` or `PGPASSWORD`) must not be a
    /// placeholder or weak; a login without one (peer or trust authentication, a password file) is
    /// not checked here.
    static func checkDatabasePassword(conninfo: String, _ env: EnvironmentReader) throws {
        if let password = env.optional("PGPASSWORD") {
            try EnvironmentReader.check(secret: password, named: "PGPASSWORD", minimumLength: 16)
        }
        let password: String?
        if conninfo.hasPrefix("postgres://") || conninfo.hasPrefix("postgresql://") {
            password = URLComponents(string: conninfo)?.password?.removingPercentEncoding
        } else {
            password = conninfo.split(separator: " ").first { $0.hasPrefix("password=") }.map {
                String($0.dropFirst("password=".count))
            }
        }
        if let password, !password.isEmpty {
            try EnvironmentReader.check(secret: password, named: "DATABASE_URL (password)", minimumLength: 16)
        }
    }
}
