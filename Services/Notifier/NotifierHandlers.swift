import AsyncHTTPClient
import Queue

/// The notifier's job handlers, by job kind, for a worker on `configuration.queue`. The caller
/// owns `httpClient` (build it with `makeWebhookClient`) and `marker`, and shuts them down.
func buildHandlers(configuration: NotifierConfiguration, httpClient: HTTPClient, marker: DeliveryMarker) -> [String: any JobHandler] {
    let domain = configuration.from.split(separator: "@").last.map(String.init) ?? "localhost"
    let smtp = SMTPClient(configuration: configuration.smtp, heloName: domain, timeout: configuration.smtpTimeout)
    return [
        NotificationSendHandler.kind: NotificationSendHandler(configuration: configuration),
        EmailDeliveryHandler.kind: EmailDeliveryHandler(configuration: configuration, client: smtp, marker: marker),
        WebhookDeliveryHandler.kind: WebhookDeliveryHandler(configuration: configuration, httpClient: httpClient, marker: marker),
    ]
}

/// The HTTP client webhooks are posted with: redirects are not followed (a webhook that moved is
/// a failure to fix, not a POST to re-send elsewhere).
func makeWebhookClient(configuration: NotifierConfiguration) -> HTTPClient {
    var settings = HTTPClient.Configuration(redirectConfiguration: .disallow)
    settings.timeout = .init(connect: .seconds(5))
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: settings)
}
