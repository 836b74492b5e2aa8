import Hummingbird
import ServiceKit

// Reads the environment (and only here), then hands typed configuration to the builder.
let service = ServiceMain.configuration(defaultPort: 8080)
let configuration: IntakeConfiguration
do {
    configuration = try IntakeConfiguration.from(service)
} catch {
    ServiceMain.fail("intake", error)
}
let registry = Observability.bootstrap(service: "intake", configuration: service)
do {
    let app = try await buildApplication(configuration, registry: registry)
    try await app.runService()
} catch {
    ServiceMain.fail("intake", error)
}
