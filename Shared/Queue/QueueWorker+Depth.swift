import Foundation
import Metrics
import Postgres

extension QueueWorker {
    /// Publishes `fwa_queue_depth{queue,tenant,state}` and `fwa_queue_oldest_ready_seconds{queue,tenant}`
    /// for this worker's queue every `depthInterval`, so every replica's `/metrics` shows its queue.
    func depthLoop() async {
        var seen: Set<[String]> = []
        while !isStopping {
            do {
                let queue = configuration.queue
                let rows = try await pool.withConnection { connection in
                    try connection.query(
                        """
                        SELECT tenant_id, state, count(*)::bigint AS n,
                               coalesce(EXTRACT(EPOCH FROM now() - min(run_at)) FILTER (WHERE state = 'available' AND run_at <= now()), 0)::float8 AS age
                          FROM fwa_jobs WHERE queue = $1 AND state IN ('available', 'running', 'failed')
                         GROUP BY tenant_id, state
                        """, queue
                    ).rows
                }
                var current: Set<[String]> = []
                for row in rows {
                    let tenant: String = try row.decode("tenant_id")
                    let state: String = try row.decode("state")
                    current.insert([tenant, state])
                    Gauge(
                        label: "fwa_queue_depth", dimensions: [("queue", queue), ("tenant", tenant), ("state", state)]
                    ).record(try row.decode("n", as: Int.self))
                    if state == "available" {
                        Gauge(
                            label: "fwa_queue_oldest_ready_seconds", dimensions: [("queue", queue), ("tenant", tenant)]
                        ).record(try row.decode("age", as: Double.self))
                    }
                }
                for gone in seen.subtracting(current) {
                    Gauge(
                        label: "fwa_queue_depth",
                        dimensions: [("queue", queue), ("tenant", gone[0]), ("state", gone[1])]
                    ).record(0)
                    if gone[1] == "available" {
                        Gauge(
                            label: "fwa_queue_oldest_ready_seconds",
                            dimensions: [("queue", queue), ("tenant", gone[0])]
                        ).record(0)
                    }
                }
                seen = current
            } catch {
                logger.debug("queue depth query failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: configuration.depthInterval)
        }
    }
}
