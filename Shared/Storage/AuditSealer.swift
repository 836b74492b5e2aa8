import Logging
import Postgres
import ServiceLifecycle

/// Seals the audit trail's new events every `interval` (`AuditLog.seal`). Every worker replica
/// runs one; the database lets one seal at a time and the others skip that round. On graceful
/// shutdown it seals once more, so a stopped system leaves nothing unsealed that it wrote.
public struct AuditSealer: Service {
    let pool: PostgresPool
    let interval: Duration
    let logger: Logger

    public init(pool: PostgresPool, interval: Duration = .seconds(1), logger: Logger) {
        self.pool = pool
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sealOnce()
                try? await Task.sleep(for: interval)
            }
        }
        await sealOnce()
    }

    private func sealOnce() async {
        do {
            let sealed = try await pool.withConnection { try AuditLog.seal(on: $0) }
            if sealed > 0 { logger.debug("audit events sealed", metadata: ["count": "\(sealed)"]) }
        } catch {
            logger.warning("sealing the audit trail failed", metadata: ["error": "\(error)"])
        }
    }
}
