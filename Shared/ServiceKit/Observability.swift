import Logging
import Metrics
import Prometheus

/// Process-wide logging and metrics, set up once by each executable's `main`.
public enum Observability {
    /// Bootstraps swift-log (JSON or text) and swift-metrics (Prometheus) and returns the registry
    /// that `/metrics` renders.
    public static func bootstrap(service: String, configuration: ServiceConfiguration) -> PrometheusCollectorRegistry {
        let level = configuration.logLevel
        if configuration.logFormat == "json" {
            LoggingSystem.bootstrap { _ in JSONLogHandler(service: service, level: level) }
        } else {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                return handler
            }
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}
