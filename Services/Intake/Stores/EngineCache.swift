import Policy
import Postgres
import Synchronization

/// Policy engines per tenant policy version. A version never changes, so an engine built once
/// serves every later request of that version.
final class EngineCache: Sendable {
    private let engines = Mutex<[String: PolicyEngine]>([:])

    /// The engine of a version, loading the policy when it is not cached; nil for no such version.
    func engine(tenantID: String, version: Int, on connection: PostgresConnection) throws -> PolicyEngine? {
        let key = "\(tenantID)#\(version)"
        if let engine = engines.withLock({ $0[key] }) { return engine }
        guard let policy = try TenantStoreReader.policy(tenantID: tenantID, version: version, on: connection) else { return nil }
        let engine = PolicyEngine(policy: policy)
        engines.withLock { $0[key] = engine }
        return engine
    }

    /// The tenant's active version and its engine; nil for an unknown tenant.
    func active(tenantID: String, on connection: PostgresConnection) throws -> (version: Int, engine: PolicyEngine)? {
        guard let version = try connection.query("SELECT active_version FROM tenants WHERE id = $1", tenantID)
            .first?.decodeIfPresent("active_version", as: Int.self),
            let engine = try engine(tenantID: tenantID, version: version, on: connection)
        else { return nil }
        return (version, engine)
    }
}
