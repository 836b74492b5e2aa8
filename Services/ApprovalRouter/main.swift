import ServiceKit

let configuration = ServiceMain.configuration(defaultPort: 8081)
do {
    let service = try await WorkerService.start(name: "approval-router", configuration: configuration)
    let worker = try service.worker(queue: "routing", handlers: RoutingHandler.all())
    try await service.run(workers: [worker])
} catch {
    ServiceMain.fail("approval-router", error)
}
