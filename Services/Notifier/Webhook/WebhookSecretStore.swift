import Crypto
import Foundation
import Postgres
import Storage

/// Each tenant's webhook signing secret (table `webhook_secrets`), made on first use: 32 random
/// bytes as 64 hex characters. Rotating it is deleting the row (the next delivery makes a new one).
enum WebhookSecretStore {
    /// The tenant's secret, created when it has none.
    static func secret(tenantID: String, on connection: PostgresConnection) throws -> String {
        if let existing = try connection.query("SELECT secret FROM webhook_secrets WHERE tenant_id = $1", tenantID)
            .first
        {
            return try existing.decode("secret")
        }
        let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { $0.hexString }
        try connection.query(
            "INSERT INTO webhook_secrets (tenant_id, secret) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING",
            tenantID, fresh)
        return try connection.query("SELECT secret FROM webhook_secrets WHERE tenant_id = $1", tenantID).first!.decode(
            "secret")
    }
}
