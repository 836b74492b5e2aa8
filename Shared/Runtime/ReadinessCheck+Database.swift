import Postgres
import Schema
import ServiceKit

extension ReadinessCheck {
    /// The database answers and no migration is pending.
    public static func database(_ pool: PostgresPool, migrator: Migrator) -> ReadinessCheck {
        ReadinessCheck(name: "database") {
            do {
                let pending = try await migrator.pending(on: pool)
                return pending.isEmpty ? nil : "\(pending.count) migration(s) pending, first \(pending[0].version)"
            } catch {
                return "database unreachable"
            }
        }
    }
}
