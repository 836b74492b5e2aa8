import Postgres
import Schema

/// One condition for `/readyz`: nil when satisfied, otherwise why not.
public struct ReadinessCheck: Sendable {
    public let name: String
    public let check: @Sendable () async -> String?

    public init(name: String, check: @escaping @Sendable () async -> String?) {
        self.name = name
        self.check = check
    }

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
