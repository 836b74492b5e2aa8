import Foundation
import ServiceKit

/// Where and how the notifier hands mail to its relay, from `FWA_SMTP_URL`:
/// `smtp://[user:pass@]host[:port][?starttls=1]` or `smtps://…` (TLS from the first byte).
struct SMTPConfiguration: Sendable, Equatable {
    /// How the connection is protected.
    enum Security: String, Sendable, Equatable {
        /// Plain TCP (loopback relays, tests).
        case none
        /// Plain TCP upgraded with `STARTTLS`, which the server must offer.
        case startTLS
        /// TLS from the first byte (`smtps`, usually port 465).
        case implicitTLS
    }

    /// The relay's user and password, sent with `AUTH PLAIN` (or `AUTH LOGIN`).
    struct Credentials: Sendable, Equatable {
        var user: String
        var password: String
    }

    var host: String
    var port: Int
    var security: Security
    var credentials: Credentials?

    init(host: String, port: Int, security: Security = .none, credentials: Credentials? = nil) {
        self.host = host
        self.port = port
        self.security = security
        self.credentials = credentials
    }

    /// Parses an `FWA_SMTP_URL` value; `variable` names the setting in the error.
    static func parse(_ text: String, variable: String = "FWA_SMTP_URL") throws -> SMTPConfiguration {
        func problem(_ message: String) -> ConfigurationError {
            ConfigurationError(variable: variable, problem: message)
        }
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased() else {
            throw problem("expected smtp://[user:pass@]host[:port][?starttls=1] or smtps://…")
        }
        guard scheme == "smtp" || scheme == "smtps" else {
            throw problem("the scheme must be smtp or smtps, got \"\(scheme)\"")
        }
        guard let host = url.host, !host.isEmpty else { throw problem("no host") }
        let startTLS =
            try url.queryItems?.first { $0.name == "starttls" }.map { item -> Bool in
                switch item.value?.lowercased() ?? "" {
                case "1", "true", "yes": return true
                case "0", "false", "no": return false
                default: throw problem("starttls must be 1 or 0")
                }
            } ?? false
        var configuration = SMTPConfiguration(
            host: host, port: url.port ?? (scheme == "smtps" ? 465 : 25),
            security: scheme == "smtps" ? .implicitTLS : (startTLS ? .startTLS : .none))
        if let user = url.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty {
            configuration.credentials = Credentials(
                user: user, password: url.password.flatMap { $0.removingPercentEncoding } ?? "")
        }
        guard (1...65535).contains(configuration.port) else { throw problem("port out of range") }
        if configuration.credentials != nil, configuration.security == .none, !isLoopback(host) {
            throw problem("credentials would cross the network in clear text; use smtps:// or ?starttls=1")
        }
        return configuration
    }

    /// True for hosts that never leave the machine.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
