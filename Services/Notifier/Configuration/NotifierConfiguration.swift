import Egress
import Foundation
import ServiceKit

/// The notifier's own settings. `main` reads them from the environment; tests build them directly.
struct NotifierConfiguration: Sendable {
    /// The relay (`FWA_SMTP_URL`).
    var smtp: SMTPConfiguration
    /// The `From` address (`FWA_SMTP_FROM`, default `flexwork@localhost`).
    var from: String
    /// The base of action links, without a trailing slash (`FWA_PUBLIC_URL`, the intake's URL).
    var publicURL: String
    /// The HMAC key of action links (`FWA_ACTION_LINK_SECRET`, at least 32 characters).
    var actionLinkSecret: String
    /// How long an action link works (`FWA_ACTION_LINK_TTL` seconds, default 7 days).
    var actionLinkTTL: Duration
    /// The longest a webhook POST may take (`FWA_WEBHOOK_TIMEOUT` seconds, default 10).
    var webhookTimeout: Duration
    /// Which webhook URLs may be posted to (`FWA_WEBHOOK_ALLOW_HTTP`, `FWA_WEBHOOK_ALLOW_PRIVATE`;
    /// by default https to public addresses only).
    var webhookRules = WebhookRules()
    /// The longest one SMTP conversation may take, connecting included.
    var smtpTimeout: Duration = .seconds(60)
    /// How long an SMTP connection stays open for the next message (`FWA_SMTP_IDLE_SECONDS`,
    /// default 5; 0: one connection per message).
    var smtpIdleLimit: Duration = .seconds(5)
    /// Attempts of one delivery job before it becomes a dead letter.
    var deliveryMaxAttempts: Int = 20
    /// The queue the notifier consumes and enqueues its delivery jobs on.
    var queue = "notify"

    init(
        smtp: SMTPConfiguration, from: String = "flexwork@localhost", publicURL: String, actionLinkSecret: String,
        actionLinkTTL: Duration = .seconds(7 * 24 * 3600), webhookTimeout: Duration = .seconds(10)
    ) {
        self.smtp = smtp
        self.from = from
        self.publicURL = publicURL
        self.actionLinkSecret = actionLinkSecret
        self.actionLinkTTL = actionLinkTTL
        self.webhookTimeout = webhookTimeout
    }

    /// Reads the `FWA_SMTP_*`, `FWA_PUBLIC_URL`, `FWA_ACTION_LINK_*` and `FWA_WEBHOOK_*`
    /// settings; throws the first problem, naming its variable.
    static func read(_ environment: EnvironmentReader) throws -> NotifierConfiguration {
        let smtp = try SMTPConfiguration.parse(try environment.required("FWA_SMTP_URL"))
        let from = environment.string("FWA_SMTP_FROM", default: "flexwork@localhost")
        guard EmailAddress.isValid(from) else {
            throw ConfigurationError(
                variable: "FWA_SMTP_FROM", problem: "expected a plain address like flexwork@example.edu")
        }
        let publicURL = try environment.required("FWA_PUBLIC_URL")
        guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host != nil
        else {
            throw ConfigurationError(
                variable: "FWA_PUBLIC_URL", problem: "expected an http(s) URL like https://flexwork.example.edu")
        }
        let secret = try environment.secret("FWA_ACTION_LINK_SECRET", minimumLength: 32)
        if let password = smtp.credentials?.password {
            try EnvironmentReader.check(secret: password, named: "FWA_SMTP_URL (password)", minimumLength: 12)
        }
        var configuration = NotifierConfiguration(
            smtp: smtp, from: from,
            publicURL: publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL,
            actionLinkSecret: secret,
            actionLinkTTL: try environment.seconds(
                "FWA_ACTION_LINK_TTL", default: .seconds(7 * 24 * 3600), range: 60...(365 * 24 * 3600)),
            webhookTimeout: try environment.seconds("FWA_WEBHOOK_TIMEOUT", default: .seconds(10), range: 0.1...300))
        configuration.smtpIdleLimit = try environment.seconds(
            "FWA_SMTP_IDLE_SECONDS", default: .seconds(5), range: 0...300)
        do {
            configuration.webhookRules = try WebhookRules.read(environment.values)
        } catch {
            throw ConfigurationError(variable: error.variable, problem: error.problem)
        }
        return configuration
    }
}
