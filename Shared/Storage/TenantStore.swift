import Crypto
import Foundation
import Policy
import Postgres

/// One stored version of a tenant's policy.
public struct TenantVersionRecord: Sendable, Equatable {
    public let tenantID: String
    public let version: Int
    public let sha256: String
    public let source: String
    public let createdAt: Date
    public let active: Bool
}

/// Tenants and their immutable policy versions.
public enum TenantStore {
    /// The canonical JSON of a policy (sorted keys) and its SHA-256.
    public static func canonical(_ policy: TenantPolicy) throws -> (json: JSONText, sha256: String) {
        let json = try JSONText(encoding: policy)
        let digest = SHA256.hash(data: Data(json.text.utf8)).hexString
        return (json, digest)
    }

    /// Stores `policy` as the tenant's new active version, or does nothing when it equals the
    /// active one. Appends a `policy_version_applied` audit event when it stores.
    public static func apply(_ policy: TenantPolicy, source: String, actor: String, on connection: PostgresConnection)
        throws -> (record: TenantVersionRecord, created: Bool)
    {
        let (json, sha) = try canonical(policy)
        try connection.query(
            """
            INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING
            """, policy.id, policy.name)
        let current = try connection.query("SELECT active_version FROM tenants WHERE id = $1 FOR UPDATE", policy.id)
            .first?.decodeIfPresent("active_version", as: Int.self)
        if let current, let active = try record(tenantID: policy.id, version: current, on: connection),
            active.sha256 == sha
        {
            return (active, false)
        }
        let version = try connection.query(
            "SELECT coalesce(max(version), 0) + 1 AS v FROM tenant_versions WHERE tenant_id = $1", policy.id
        )
        .first!.decode("v", as: Int.self)
        try connection.query(
            """
            INSERT INTO tenant_versions (tenant_id, version, policy, sha256, source, created_by) VALUES ($1, $2, $3::jsonb, $4, $5, $6)
            """, policy.id, version, json, sha, source, actor)
        try connection.query(
            "UPDATE tenants SET name = $2, active_version = $3, updated_at = now() WHERE id = $1", policy.id,
            policy.name, version)
        AuditLog.append(
            AuditEvent(
                tenantID: policy.id, actor: actor, action: "policy_version_applied",
                before: try current.map { try JSONText(encoding: ["version": $0]) },
                after: try JSONText(encoding: AppliedVersion(version: version, sha256: sha))), on: connection)
        return (try record(tenantID: policy.id, version: version, on: connection)!, true)
    }

    /// Whether the tenant exists (and is visible to the tenant in scope).
    public static func exists(_ tenantID: String, on connection: PostgresConnection) throws -> Bool {
        try connection.query("SELECT 1 FROM tenants WHERE id = $1", tenantID).first != nil
    }

    /// The active policy of a tenant and its version, or nil for an unknown tenant.
    public static func active(tenantID: String, on connection: PostgresConnection) throws -> (
        policy: TenantPolicy, record: TenantVersionRecord
    )? {
        guard
            let version = try connection.query("SELECT active_version FROM tenants WHERE id = $1", tenantID)
                .first?.decodeIfPresent("active_version", as: Int.self)
        else { return nil }
        guard let policy = try policy(tenantID: tenantID, version: version, on: connection),
            let record = try record(tenantID: tenantID, version: version, on: connection)
        else { return nil }
        return (policy, record)
    }

    /// One version's policy (a request keeps the version it was routed under).
    public static func policy(tenantID: String, version: Int, on connection: PostgresConnection) throws -> TenantPolicy?
    {
        guard
            let row = try connection.query(
                "SELECT policy::text AS policy FROM tenant_versions WHERE tenant_id = $1 AND version = $2", tenantID,
                version
            ).first
        else {
            return nil
        }
        return try row.decode("policy", as: JSONText.self).decode(TenantPolicy.self)
    }

    /// Every version of a tenant, newest first.
    public static func versions(tenantID: String, on connection: PostgresConnection) throws -> [TenantVersionRecord] {
        try connection.query(
            """
            SELECT v.tenant_id, v.version, v.sha256, v.source, v.created_at, v.version = t.active_version AS active
              FROM tenant_versions v JOIN tenants t ON t.id = v.tenant_id
             WHERE v.tenant_id = $1 ORDER BY v.version DESC
            """, tenantID
        ).rows.map(record(row:))
    }

    static func record(tenantID: String, version: Int, on connection: PostgresConnection) throws -> TenantVersionRecord?
    {
        try connection.query(
            """
            SELECT v.tenant_id, v.version, v.sha256, v.source, v.created_at, v.version = t.active_version AS active
              FROM tenant_versions v JOIN tenants t ON t.id = v.tenant_id
             WHERE v.tenant_id = $1 AND v.version = $2
            """, tenantID, version
        ).first.map(record(row:))
    }

    private static func record(row: PostgresRow) throws -> TenantVersionRecord {
        TenantVersionRecord(
            tenantID: try row.decode("tenant_id"), version: try row.decode("version"), sha256: try row.decode("sha256"),
            source: try row.decode("source"), createdAt: try row.decode("created_at"), active: try row.decode("active"))
    }
}

/// The audit record of an applied policy version.
private struct AppliedVersion: Encodable {
    var version: Int
    var sha256: String
}
