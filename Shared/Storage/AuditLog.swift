import Foundation
import Postgres

/// A state change to record: who, what, before and after.
public struct AuditEvent: Sendable {
    public var tenantID: String
    public var requestID: UUID?
    public var actor: String
    public var action: String
    public var before: JSONText?
    public var after: JSONText?

    public init(tenantID: String, requestID: UUID? = nil, actor: String, action: String, before: JSONText? = nil, after: JSONText? = nil) {
        self.tenantID = tenantID
        self.requestID = requestID
        self.actor = actor
        self.action = action
        self.before = before
        self.after = after
    }
}

/// What `verify` found.
public struct AuditVerification: Sendable, Equatable {
    /// Events checked.
    public let count: Int
    /// The first event whose hash, link or sequence is wrong; nil when the chain is intact.
    public let firstBrokenSeq: Int64?
    public var isIntact: Bool { firstBrokenSeq == nil }
}

/// The append-only audit trail. Each event stores the hash of the previous event of its tenant,
/// and its own hash over the previous hash and all its fields; the hash is computed by PostgreSQL
/// (`sha256` over a canonical JSON array), so `verify` recomputes exactly the same bytes.
public enum AuditLog {
    static let genesis = String(repeating: "0", count: 64)

    /// The hash of an event, as SQL over its columns (qualified by `table`): SHA-256 of a
    /// canonical JSON array of the previous hash and every field.
    static func digestSQL(_ table: String) -> String {
        let t = table
        return """
            encode(sha256(convert_to(jsonb_build_array(\(t).prev_hash, \(t).tenant_id, \(t).seq, \(t).request_id::text,
                to_char(\(t).at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), \(t).actor, \(t).action,
                \(t).before, \(t).after)::text, 'UTF8')), 'hex')
            """
    }

    /// Appends an event in the connection's transaction; returns its sequence number.
    @discardableResult
    public static func append(_ event: AuditEvent, on connection: PostgresConnection) throws -> Int64 {
        // Appends of one tenant are serialized so that the chain has no forks.
        try connection.query("SELECT pg_advisory_xact_lock(hashtext('fwa_events'), hashtext($1))", event.tenantID)
        let previous = try connection.query("SELECT seq, hash FROM events WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1", event.tenantID).first
        let seq: Int64 = (try previous?.decode("seq", as: Int64.self) ?? 0) + 1
        let prevHash: String = try previous?.decode("hash", as: String.self) ?? genesis
        try connection.query("""
            INSERT INTO events (tenant_id, seq, request_id, at, actor, action, before, after, prev_hash, hash)
            SELECT v.tenant_id, v.seq, v.request_id, v.at, v.actor, v.action, v.before, v.after, v.prev_hash, \(digestSQL("v"))
              FROM (SELECT $1::text AS tenant_id, $2::bigint AS seq, $3::uuid AS request_id,
                           date_trunc('microseconds', clock_timestamp()) AS at, $4::text AS actor, $5::text AS action,
                           $6::jsonb AS before, $7::jsonb AS after, $8::text AS prev_hash) v
            """, event.tenantID, seq, event.requestID, event.actor, event.action, event.before, event.after, prevHash)
        return seq
    }

    /// Recomputes every hash and link of a tenant's chain.
    public static func verify(tenantID: String, on connection: PostgresConnection) throws -> AuditVerification {
        let rows = try connection.query("""
            SELECT seq,
                   hash = \(digestSQL("events")) AS hash_ok,
                   prev_hash = coalesce(lag(hash) OVER (ORDER BY seq), $2) AS link_ok,
                   seq = row_number() OVER (ORDER BY seq) AS seq_ok
              FROM events WHERE tenant_id = $1 ORDER BY seq
            """, tenantID, genesis).rows
        for row in rows {
            let ok = try row.decode("hash_ok", as: Bool.self) && row.decode("link_ok", as: Bool.self) && row.decode("seq_ok", as: Bool.self)
            if !ok { return AuditVerification(count: rows.count, firstBrokenSeq: try row.decode("seq")) }
        }
        return AuditVerification(count: rows.count, firstBrokenSeq: nil)
    }
}
