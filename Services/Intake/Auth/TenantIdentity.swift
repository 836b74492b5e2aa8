import Foundation
import Postgres

/// How a tenant's identity provider signs acting-user tokens (the `tenant_identity` row).
struct TenantIdentity: Sendable, Equatable {
    /// The longest token lifetime (`exp` − `iat`) a tenant may allow, and the default.
    static let lifetimeRange = 60...86_400
    static let defaultMaxTokenLifetime = 3600

    var issuer: String
    /// The `aud` every token must name; nil only in rows written before migration 0013, whose
    /// tokens are all refused until the operator sets one.
    var audience: String?
    var hs256Secret: String?
    var publicKeysPEM: [String]
    var jwks: String?
    /// The longest `exp` − `iat` a token may have, in seconds.
    var maxTokenLifetimeSeconds: Int = TenantIdentity.defaultMaxTokenLifetime

    /// The tenant's settings, or nil when it has none (no acting user can be verified).
    static func load(tenantID: String, on connection: PostgresConnection) throws -> TenantIdentity? {
        guard
            let row = try connection.query(
                """
                SELECT issuer, audience, hs256_secret, public_keys_pem, jwks::text AS jwks, max_token_lifetime_seconds
                  FROM tenant_identity WHERE tenant_id = $1
                """, tenantID
            ).first
        else { return nil }
        return TenantIdentity(
            issuer: try row.decode("issuer"), audience: try row.decodeIfPresent("audience"),
            hs256Secret: try row.decodeIfPresent("hs256_secret"),
            publicKeysPEM: PostgresTextArray.parse(try row.decode("public_keys_pem", as: String.self)),
            jwks: try row.decodeIfPresent("jwks"),
            maxTokenLifetimeSeconds: try row.decode("max_token_lifetime_seconds"))
    }

    /// Stores the settings (insert or replace).
    func save(tenantID: String, on connection: PostgresConnection) throws {
        try connection.query(
            """
            INSERT INTO tenant_identity (tenant_id, issuer, audience, hs256_secret, public_keys_pem, jwks,
                                         max_token_lifetime_seconds, updated_at)
            VALUES ($1, $2, $3, $4, $5::text[], $6::jsonb, $7, now())
            ON CONFLICT (tenant_id) DO UPDATE SET issuer = EXCLUDED.issuer, audience = EXCLUDED.audience,
                hs256_secret = EXCLUDED.hs256_secret, public_keys_pem = EXCLUDED.public_keys_pem,
                jwks = EXCLUDED.jwks, max_token_lifetime_seconds = EXCLUDED.max_token_lifetime_seconds,
                updated_at = now()
            """, tenantID, issuer, audience, hs256Secret, publicKeysPEM, jwks.map(JSONText.init),
            maxTokenLifetimeSeconds)
    }
}
