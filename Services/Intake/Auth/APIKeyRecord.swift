import Foundation
import Postgres

/// A stored tenant API key (without its secret).
struct APIKeyRecord: Sendable {
    var id: UUID
    var tenantID: String
    var name: String
    var scopes: Set<String>
    var createdAt: Date
    var revokedAt: Date?

    /// The key whose secret hashes to `hash` (`APIKeySecret.hash`), of any tenant, in one
    /// statement. Authentication comes before a tenant is known: the service's login reads no
    /// table, so this calls the SECURITY DEFINER lookup `fwa_api_key_by_hash` (migration 0006),
    /// which returns the one matching key, not its hash. `APIKeyLookup` calls it.
    static func find(hash: String, pool: PostgresPool) async throws -> APIKeyRecord? {
        try await pool.withConnection { connection in
            try connection.query(
                prepared: "SELECT id, tenant_id, name, scopes, created_at, revoked_at FROM fwa_api_key_by_hash($1)",
                [hash]
            )
            .first.map(APIKeyRecord.init(row:))
        }
    }

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        tenantID = try row.decode("tenant_id")
        name = try row.decode("name")
        scopes = Set(try row.decode("scopes", as: String.self).split(separator: ",").map(String.init))
        createdAt = try row.decode("created_at")
        revokedAt = try row.decodeIfPresent("revoked_at")
    }
}
