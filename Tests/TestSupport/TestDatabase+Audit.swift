import Foundation
import Postgres
import Storage

extension TestDatabase {
    /// Seals the tenant's audit events, then verifies its chain. Suites run in parallel and seal
    /// too, and a sealer that finds another at work returns at once, so this retries until nothing
    /// of the tenant waits (for at most about four seconds).
    public static func sealedAudit(tenantID: String, pool: PostgresPool) async throws -> AuditVerification {
        for _ in 0..<200 {
            let result = try await pool.withConnection { connection in
                try AuditLog.seal(on: connection)
                return try AuditLog.verify(tenantID: tenantID, on: connection)
            }
            if result.unsealed == 0 { return result }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await pool.withConnection { try AuditLog.verify(tenantID: tenantID, on: $0) }
    }
}
