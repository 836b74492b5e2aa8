import ServiceKit

let configuration = ServiceMain.configuration(defaultPort: 8080)
do {
    let service = try await WorkerService.start(name: "intake", configuration: configuration)
    try await service.run(workers: [])
} catch {
    ServiceMain.fail("intake", error)
}
