import Jobs
import Queue
import Runtime

await WorkerMain.run(name: "compliance-checker", defaultPort: 8082) { service, configuration in
    let sweepHour = try configuration.environment.int("FWA_SWEEP_HOUR_UTC", default: 6, range: 0...23)
    var maintenance = QueueMaintenance.Configuration()
    maintenance.periodicJobs = [
        PeriodicJob(
            name: "compliance-sweep", schedule: .daily(hour: sweepHour, minute: 0, timeZone: .gmt),
            job: try NewJob(ComplianceSweepJob()))
    ]
    return WorkerMain.Parts(
        workers: [service.worker(queue: ComplianceCheckJob.queue, handlers: ComplianceHandlers.all)],
        maintenance: maintenance)
}
