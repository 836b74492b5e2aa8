import Logging
import Postgres
import ServiceLifecycle

/// Deletes idempotency records older than a day, a bounded batch per round, through the
/// SECURITY DEFINER function `fwa_prune_idempotency_keys` (migration 0006): the intake's login
/// cannot delete another tenant's rows itself. Every replica runs it; concurrent rounds delete
/// disjoint rows or nothing. (Queue maintenance, rescue and pruning of jobs, runs in the workers.)
struct IdempotencyPruning: Service {
    let pool: PostgresPool
    let logger: Logger
    var interval: Duration = .seconds(60)
    var batch = 1000

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    var deleted = 0
                    repeat {
                        deleted = try await pruneOnce()
                    } while deleted == batch && !Task.isCancelled
                } catch {
                    logger.warning("idempotency record pruning failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One batch; returns how many records it deleted.
    func pruneOnce() async throws -> Int {
        let batch = self.batch
        return try await pool.withConnection { connection in
            try connection.query("SELECT fwa_prune_idempotency_keys($1) AS deleted", batch).first?.decode(
                "deleted", as: Int.self) ?? 0
        }
    }
}
