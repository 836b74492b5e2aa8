import Foundation
import Postgres

/// The one place that reads and writes `api_keys` (the intake's own table), in the caller's
/// transaction. Authentication's lookup by hash is `APIKeyRecord.find(hash:pool:)`.
enum APIKeyStore {
    /// Stores a key; nil when the tenant already has a live key of that name.
    static func insert(
        id: UUID, tenantID: String, name: String, secretHash: String, scopes: [String],
        on connection: PostgresConnection
    ) throws -> Date? {
        do {
            guard
                let row = try connection.query(
                    """
                    INSERT INTO api_keys (id, tenant_id, name, secret_hash, scopes) VALUES ($1, $2, $3, $4, $5::text[]) RETURNING created_at
                    """, id, tenantID, name, secretHash, scopes
                ).first
            else {
                throw PostgresError(kind: .server, message: "INSERT … RETURNING returned no row")
            }
            return try row.decode("created_at")
        } catch let error as PostgresError where error.isUniqueViolation {
            return nil
        }
    }

    /// One page of the tenant in scope's keys, newest first, `limit + 1` rows at most.
    static func page(after cursor: PageCursor?, limit: Int, on connection: PostgresConnection) throws -> [APIKeyRecord]
    {
        var filter = SQLFilter()
        filter.after(cursor, table: "api_keys", idType: "uuid")
        let limitClause = filter.limit(limit + 1)
        return try connection.query(
            """
            SELECT id, tenant_id, name, array_to_string(scopes, ',') AS scopes, created_at, revoked_at FROM api_keys
            \(filter.whereClause) ORDER BY created_at DESC, id DESC \(limitClause)
            """, filter.parameters
        ).rows.map(APIKeyRecord.init(row:))
    }

    /// Revokes a live key; false when there is no such key, true when it is (now or already) revoked.
    static func revoke(_ id: UUID, on connection: PostgresConnection) throws -> (found: Bool, changed: Bool) {
        guard let row = try connection.query("SELECT revoked_at FROM api_keys WHERE id = $1 FOR UPDATE", id).first
        else {
            return (false, false)
        }
        guard try row.decodeIfPresent("revoked_at", as: Date.self) == nil else { return (true, false) }
        try connection.query("UPDATE api_keys SET revoked_at = now() WHERE id = $1", id)
        return (true, true)
    }
}
