import Foundation
import Hummingbird
import Logging
import Metrics
import Postgres

/// The outermost middleware: gives each request an id (echoed in `X-Request-ID`), a logger
/// carrying it and the path's tenant id, an access log line, and the metrics
/// `fwa_http_requests_total{route,status}` and `fwa_http_request_duration_seconds{route}`.
/// It also decodes `Location` headers, which the OpenAPI runtime percent-encodes.
struct ObservabilityMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    let metrics: any MetricsFactory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        let requestID = Self.requestID(from: request)
        var logger = self.logger
        logger[metadataKey: "request_id"] = .string(requestID)
        if let tenant = context.parameters.get("tenant") { logger[metadataKey: "tenant_id"] = .string(tenant) }
        let route = context.endpointPath ?? "unmatched"
        let scope = RequestScope(requestID: requestID, logger: logger, principal: nil)
        var response: Response
        do {
            response = try await RequestScope.$current.withValue(scope) { try await next(request, context) }
        } catch {
            // ProblemMiddleware answers every error; this is a last resort.
            logger.error("unhandled error", metadata: ["error": "\(type(of: error))"])
            response = ProblemDocument.response(
                APIProblem(.internal, "An internal error occurred; retry with the same Idempotency-Key."), instance: nil
            )
        }
        response.headers[.init("X-Request-ID")!] = requestID
        if let location = response.headers[.location], let decoded = location.removingPercentEncoding {
            response.headers[.location] = decoded
        }
        let elapsed = ContinuousClock.now - start
        record(route: route, status: Int(response.status.code), elapsed: elapsed)
        logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "route": .string(route),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .stringConvertible(elapsed.inMilliseconds),
            ])
        return response
    }

    private func record(route: String, status: Int, elapsed: Duration) {
        Counter(
            label: "fwa_http_requests_total", dimensions: [("route", route), ("status", String(status))],
            factory: metrics
        ).increment()
        let nanoseconds = elapsed.inNanoseconds
        Metrics.Timer(label: "fwa_http_request_duration_seconds", dimensions: [("route", route)], factory: metrics)
            .recordNanoseconds(nanoseconds)
    }

    /// The client's `X-Request-ID` when it is a short token, else a new UUID.
    private static func requestID(from request: Request) -> String {
        if let given = request.headers[.init("X-Request-ID")!], (8...64).contains(given.count),
            given.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" })
        {
            return given
        }
        return UUID().uuidString.lowercased()
    }
}
