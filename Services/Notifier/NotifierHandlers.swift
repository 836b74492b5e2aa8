import Queue

/// The notifier's job handlers, by job kind, for a worker on `configuration.queue`. The caller
/// owns `marker` and `sessions` (the SMTP connections kept open between messages; nil for one
/// connection per message), and shuts them down. Each webhook POST has an HTTP client of its own
/// (`WebhookClient`).
func buildHandlers(
    configuration: NotifierConfiguration, marker: DeliveryMarker, sessions: SMTPSessionPool?
) -> [String: any JobHandler] {
    let domain = configuration.from.split(separator: "@").last.map(String.init) ?? "localhost"
    let smtp = SMTPClient(configuration: configuration.smtp, heloName: domain, timeout: configuration.smtpTimeout, sessions: sessions)
    return [
        NotificationSendHandler.kind: NotificationSendHandler(configuration: configuration),
        EmailDeliveryHandler.kind: EmailDeliveryHandler(configuration: configuration, client: smtp, marker: marker),
        WebhookDeliveryHandler.kind: WebhookDeliveryHandler(configuration: configuration, marker: marker),
    ]
}

/// The SMTP connections kept open between messages, one per concurrent job at most; nil when
/// `FWA_SMTP_IDLE_SECONDS` is 0.
func makeSMTPSessions(configuration: NotifierConfiguration, concurrency: Int) -> SMTPSessionPool? {
    configuration.smtpIdleLimit == .zero ? nil : SMTPSessionPool(idleLimit: configuration.smtpIdleLimit, capacity: concurrency)
}
