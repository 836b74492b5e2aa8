import HTTPTypes
import OpenAPIRuntime

/// Registers the generated handlers on a transport, except the paths served elsewhere
/// (`/healthz`, `/readyz` and `/metrics` come from ServiceKit's `HealthRoutes`, shared by every
/// service; the OpenAPI document still describes them). An empty body is handed on as no body,
/// so that operations whose body is optional accept a bare POST.
struct FilteredTransport<Base: ServerTransport>: ServerTransport {
    let base: Base
    let excluded: Set<String>

    func register(
        _ handler:
            @Sendable @escaping (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
                HTTPResponse, HTTPBody?
            ),
        method: HTTPRequest.Method, path: String
    ) throws {
        guard !excluded.contains(path) else { return }
        try base.register(
            { request, body, metadata in
                let given = body.flatMap { $0.length == .known(0) ? nil : $0 }
                return try await handler(request, given, metadata)
            }, method: method, path: path)
    }
}
