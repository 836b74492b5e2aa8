import Foundation
import Queue
import ServiceKit

let configuration = ServiceMain.configuration(defaultPort: 8082)
do {
    let service = try await WorkerService.start(name: "compliance-checker", configuration: configuration)
    let sweepHour = try configuration.environment.int("FWA_SWEEP_HOUR_UTC", default: 6, range: 0...23)
    let worker = try service.worker(queue: "compliance", handlers: [
        "request.check": RequestCheckHandler(),
        "compliance.sweep": ComplianceSweepHandler(),
        ComplianceSweepHandler.requestKind: RequestSweepHandler(),
    ])
    var maintenance = QueueMaintenance.Configuration()
    maintenance.periodicJobs = [
        PeriodicJob(name: "compliance-sweep", schedule: .daily(hour: sweepHour, minute: 0, timeZone: .gmt),
                    job: NewJob(queue: "compliance", kind: "compliance.sweep")),
    ]
    try await service.run(workers: [worker], maintenance: maintenance)
} catch {
    ServiceMain.fail("compliance-checker", error)
}
