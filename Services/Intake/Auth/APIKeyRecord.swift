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

    /// The key whose secret is `secret`, of any tenant. Authentication comes before a tenant is
    /// known, so this lookup runs as the service's role, not under row-level security.
    static func find(secret: String, pool: PostgresPool) async throws -> APIKeyRecord? {
        guard secret.hasPrefix(APIKeySecret.prefix), secret.utf8.count < 200 else { return nil }
        let hash = APIKeySecret.hash(secret)
        return try await pool.withConnection { connection in
            try connection.query("""
                SELECT id, tenant_id, name, array_to_string(scopes, ',') AS scopes, created_at, revoked_at
                  FROM api_keys WHERE secret_hash = $1
                """, hash).first.map(APIKeyRecord.init(row:))
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
