import AsyncHTTPClient
import Queue

/// The notifier's job handlers, by job kind, for a worker on `configuration.queue`. The caller
/// owns `httpClient` (build it with `makeWebhookClient`), `marker` and `sessions` (the SMTP
/// connections kept open between messages; nil for one connection per message), and shuts them down.
func buildHandlers(
    configuration: NotifierConfiguration, httpClient: HTTPClient, marker: DeliveryMarker, sessions: SMTPSessionPool?
) -> [String: any JobHandler] {
    let domain = configuration.from.split(separator: "@").last.map(String.init) ?? "localhost"
    let smtp = SMTPClient(configuration: configuration.smtp, heloName: domain, timeout: configuration.smtpTimeout, sessions: sessions)
    return [
        NotificationSendHandler.kind: NotificationSendHandler(configuration: configuration),
        EmailDeliveryHandler.kind: EmailDeliveryHandler(configuration: configuration, client: smtp, marker: marker),
        WebhookDeliveryHandler.kind: WebhookDeliveryHandler(configuration: configuration, httpClient: httpClient, marker: marker),
    ]
}

/// The SMTP connections kept open between messages, one per concurrent job at most; nil when
/// `FWA_SMTP_IDLE_SECONDS` is 0.
func makeSMTPSessions(configuration: NotifierConfiguration, concurrency: Int) -> SMTPSessionPool? {
    configuration.smtpIdleLimit == .zero ? nil : SMTPSessionPool(idleLimit: configuration.smtpIdleLimit, capacity: concurrency)
}

/// The HTTP client webhooks are posted with: redirects are not followed (a webhook that moved is
/// a failure to fix, not a POST to re-send elsewhere).
func makeWebhookClient(configuration: NotifierConfiguration) -> HTTPClient {
    var settings = HTTPClient.Configuration(redirectConfiguration: .disallow)
    settings.timeout = .init(connect: .seconds(5))
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: settings)
}
