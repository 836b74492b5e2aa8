import Foundation
import ServiceKit

let configuration = ServiceMain.configuration(defaultPort: 8083)
let notifierConfiguration: NotifierConfiguration
do {
    notifierConfiguration = try NotifierConfiguration.read(configuration.environment)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}
do {
    let service = try await WorkerService.start(name: "notifier", configuration: configuration)
    // One marking connection per concurrent job, so that reserving one never waits.
    let marker = DeliveryMarker(conninfo: configuration.conninfo, connections: try service.workerConcurrency(), logger: service.logger)
    let sessions = makeSMTPSessions(configuration: notifierConfiguration, concurrency: try service.workerConcurrency())
    let handlers = buildHandlers(configuration: notifierConfiguration, marker: marker, sessions: sessions)
    let worker = try service.worker(queue: notifierConfiguration.queue, handlers: handlers)
    try await service.run(workers: [worker])
    await marker.shutdown()
    sessions?.shutdown()
} catch {
    ServiceMain.fail("notifier", error)
}
