import Foundation
import Postgres

/// How a tenant's identity provider signs acting-user tokens (the `tenant_identity` row).
struct TenantIdentity: Sendable, Equatable {
    var issuer: String
    var audience: String?
    var hs256Secret: String?
    var publicKeysPEM: [String]
    var jwks: String?

    /// The tenant's settings, or nil when it has none (no acting user can be verified).
    static func load(tenantID: String, on connection: PostgresConnection) throws -> TenantIdentity? {
        guard let row = try connection.query("""
            SELECT issuer, audience, hs256_secret, public_keys_pem, jwks::text AS jwks
              FROM tenant_identity WHERE tenant_id = $1
            """, tenantID).first else { return nil }
        return TenantIdentity(
            issuer: try row.decode("issuer"), audience: try row.decodeIfPresent("audience"),
            hs256Secret: try row.decodeIfPresent("hs256_secret"),
            publicKeysPEM: PostgresTextArray.parse(try row.decode("public_keys_pem", as: String.self)),
            jwks: try row.decodeIfPresent("jwks"))
    }

    /// Stores the settings (insert or replace).
    func save(tenantID: String, on connection: PostgresConnection) throws {
        try connection.query("""
            INSERT INTO tenant_identity (tenant_id, issuer, audience, hs256_secret, public_keys_pem, jwks, updated_at)
            VALUES ($1, $2, $3, $4, $5::text[], $6::jsonb, now())
            ON CONFLICT (tenant_id) DO UPDATE SET issuer = EXCLUDED.issuer, audience = EXCLUDED.audience,
                hs256_secret = EXCLUDED.hs256_secret, public_keys_pem = EXCLUDED.public_keys_pem,
                jwks = EXCLUDED.jwks, updated_at = now()
            """, tenantID, issuer, audience, hs256Secret, publicKeysPEM, jwks.map(JSONText.init))
    }
}
