import Policy
import Postgres
import Synchronization

/// Policy engines per tenant policy version. A version never changes, so an engine built once
/// (the policy decoded, its calendar precomputed) serves every later request and job of that
/// version. Bounded: past `capacity` versions it starts afresh.
public final class PolicyEngineCache: Sendable {
    /// The process's cache, shared by its handlers.
    public static let shared = PolicyEngineCache()

    private let engines = Mutex<[String: PolicyEngine]>([:])
    private let capacity: Int

    public init(capacity: Int = 512) {
        self.capacity = capacity
    }

    /// The engine of a version, loading the policy when it is not cached; nil for no such version.
    public func engine(tenantID: String, version: Int, on connection: PostgresConnection) throws -> PolicyEngine? {
        let key = "\(tenantID)#\(version)"
        if let engine = engines.withLock({ $0[key] }) { return engine }
        guard let policy = try TenantStore.policy(tenantID: tenantID, version: version, on: connection) else {
            return nil
        }
        let engine = PolicyEngine(policy: policy)
        engines.withLock { engines in
            if engines.count >= capacity { engines.removeAll() }
            engines[key] = engine
        }
        return engine
    }

    /// The tenant's active version and its engine; nil for an unknown tenant.
    public func active(tenantID: String, on connection: PostgresConnection) throws -> (
        version: Int, engine: PolicyEngine
    )? {
        guard
            let version = try connection.query(prepared: "SELECT active_version FROM tenants WHERE id = $1", [tenantID])
                .first?.decodeIfPresent("active_version", as: Int.self),
            let engine = try engine(tenantID: tenantID, version: version, on: connection)
        else { return nil }
        return (version, engine)
    }
}
