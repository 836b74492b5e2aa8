import ServiceKit

let configuration = ServiceMain.configuration(defaultPort: 8082)
do {
    let service = try await WorkerService.start(name: "compliance-checker", configuration: configuration)
    let worker = try service.worker(queue: "compliance", handlers: [:])
    try await service.run(workers: [worker])
} catch {
    ServiceMain.fail("compliance-checker", error)
}
