import ServiceKit

let configuration = ServiceMain.configuration(defaultPort: 8083)
do {
    let service = try await WorkerService.start(name: "notifier", configuration: configuration)
    let worker = try service.worker(queue: "notify", handlers: [:])
    try await service.run(workers: [worker])
} catch {
    ServiceMain.fail("notifier", error)
}
