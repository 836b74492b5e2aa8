import Jobs
import Queue
import Runtime
import ServiceLifecycle

/// The notifier: one worker on `configuration.queue` and the resources its handlers hold (the
/// marking connections, one per concurrent job so that reserving one never waits, and the SMTP
/// connections kept open between messages), which the service group closes after the worker
/// stops. `main` and the tests both call it.
func buildNotifier(_ configuration: NotifierConfiguration, service: WorkerService) -> WorkerMain.Parts {
    let concurrency = service.settings.concurrency
    let marker = DeliveryMarker(conninfo: service.conninfo, connections: concurrency, logger: service.logger)
    let sessions = makeSMTPSessions(configuration: configuration, concurrency: concurrency)
    let handlers = buildHandlers(configuration: configuration, marker: marker, sessions: sessions)
    var resources: [any Service] = [ResourceService { await marker.shutdown() }]
    if let sessions { resources.append(ResourceService { sessions.shutdown() }) }
    return WorkerMain.Parts(
        workers: [service.worker(queue: configuration.queue, handlers: handlers)], resources: resources)
}

/// The notifier's job handlers, by job kind. `sessions` are the SMTP connections kept open between
/// messages (nil for one connection per message). Each webhook POST has an HTTP client of its own
/// (`WebhookClient`).
func buildHandlers(
    configuration: NotifierConfiguration, marker: DeliveryMarker, sessions: SMTPSessionPool?
) -> JobHandlers {
    let domain = configuration.from.split(separator: "@").last.map(String.init) ?? "localhost"
    let smtp = SMTPClient(
        configuration: configuration.smtp, heloName: domain, timeout: configuration.smtpTimeout, sessions: sessions)
    let send = NotificationSendHandler(configuration: configuration)
    let email = EmailDeliveryHandler(configuration: configuration, client: smtp, marker: marker)
    let webhook = WebhookDeliveryHandler(configuration: configuration, marker: marker)
    var handlers = JobHandlers()
    handlers.register(NotificationJob.self) { try await send.handle($0, context: $1) }
    handlers.register(EmailDeliveryJob.self) { try await email.handle($0, context: $1) }
    handlers.register(WebhookDeliveryJob.self) { try await webhook.handle($0, context: $1) }
    return handlers
}

/// The SMTP connections kept open between messages, one per concurrent job at most; nil when
/// `FWA_SMTP_IDLE_SECONDS` is 0.
func makeSMTPSessions(configuration: NotifierConfiguration, concurrency: Int) -> SMTPSessionPool? {
    configuration.smtpIdleLimit == .zero
        ? nil : SMTPSessionPool(idleLimit: configuration.smtpIdleLimit, capacity: concurrency)
}
