import Policy
import Postgres
import Storage

/// Reads of tenant policies through `Storage.TenantStore`, in one place.
enum TenantStoreReader {
    static func policy(tenantID: String, version: Int, on connection: PostgresConnection) throws -> TenantPolicy? {
        try TenantStore.policy(tenantID: tenantID, version: version, on: connection)
    }
}
