/// `/healthz`, `/readyz` and `/metrics` are served by ServiceKit's `HealthRoutes` (shared by
/// every service); `FilteredTransport` does not register these generated handlers, which exist
/// only because the OpenAPI document describes the endpoints.
extension IntakeAPI {
    func healthz(_ input: Operations.Healthz.Input) async throws -> Operations.Healthz.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func readyz(_ input: Operations.Readyz.Input) async throws -> Operations.Readyz.Output {
        .ok(.init(body: .json(.init(status: .ready))))
    }

    func metrics(_ input: Operations.Metrics.Input) async throws -> Operations.Metrics.Output {
        .ok(.init(body: .plainText("")))
    }
}
