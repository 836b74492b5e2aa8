import Foundation
import Hummingbird
import Prometheus

/// `/healthz` (the process is alive), `/readyz` (every readiness check passes) and `/metrics`
/// (Prometheus text), added to any service's router.
public enum HealthRoutes {
    public static func add<Context: RequestContext>(
        to router: Router<Context>, checks: [ReadinessCheck], registry: PrometheusCollectorRegistry
    ) {
        router.get("/healthz") { _, _ in
            jsonResponse(.ok, ["status": "ok"])
        }
        router.get("/readyz") { _, _ in
            var failures: [String: String] = [:]
            for check in checks {
                if let problem = await check.check() { failures[check.name] = problem }
            }
            return failures.isEmpty
                ? jsonResponse(.ok, ["status": "ready"])
                : jsonResponse(.serviceUnavailable, failures.merging(["status": "not ready"]) { first, _ in first })
        }
        router.get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16 * 1024)
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }

    static func jsonResponse(_ status: HTTPResponse.Status, _ fields: [String: String]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(fields)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
