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

    public init(
        tenantID: String, requestID: UUID? = nil, actor: String, action: String, before: JSONText? = nil,
        after: JSONText? = nil
    ) {
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
    /// Sealed events checked.
    public let count: Int
    /// The first sealed event whose hash, link or sequence is wrong; nil when the chain is intact.
    public let firstBrokenSeq: Int64?
    /// Events written but not sealed yet (the sealer links them within about a second).
    public let unsealed: Int
    public var isIntact: Bool { firstBrokenSeq == nil }
}

/// The append-only audit trail, hash-chained per tenant.
///
/// Writers only append, through a database function that stamps the event: an event is stored unsealed in the writer's transaction, with no lock, so
/// state changes of one tenant never wait for one another. The sealer (`seal`, run by the worker
/// services every second through `AuditSealer`, and by `fwactl audit verify`) then gives each
/// committed event of a tenant the next sequence number, the previous event's hash and its own
/// hash: SHA-256 over a canonical JSON array of the previous hash and every field, computed by
/// PostgreSQL (`fwa_event_hash`), so `verify` recomputes exactly the same bytes. The database
/// refuses any change to an event other than its one sealing, and an insert that brings a seal.
public enum AuditLog {
    static let genesis = String(repeating: "0", count: 64)

    /// Appends an unsealed event in the connection's transaction, through `fwa_append_event`
    /// (migration 0011): the database sets the id and the time and checks the tenant against the
    /// session (the intake's `fwa.tenant_id`, or the job a worker holds, which
    /// `JobContext.completing` names), so no service can write another tenant's history or
    /// backdate it. The call joins the connection's pipeline: it goes out with the transaction's
    /// next answered statement or its COMMIT, in the same round trip, and a refusal (42501)
    /// fails that statement. A statement prepared on the session: every service runs it.
    public static func append(_ event: AuditEvent, on connection: PostgresConnection) {
        connection.pipeline(
            prepared: "SELECT fwa_append_event($1, $2::uuid, $3, $4, $5::jsonb, $6::jsonb)",
            event.tenantID, event.requestID, event.actor, event.action, event.before, event.after)
    }

    /// Seals every committed, unsealed event (in batches of `batch`); returns how many it sealed.
    /// Returns 0 at once when another session is sealing: one sealer at a time keeps chains unforked.
    /// Run it outside a transaction: each batch commits on its own.
    @discardableResult
    public static func seal(batch: Int = 5_000, on connection: PostgresConnection) throws -> Int {
        var total = 0
        while true {
            let sealed: Int = try connection.query("SELECT fwa_seal_events($1) AS sealed", batch).first!.decode(
                "sealed")
            total += sealed
            if sealed < batch { return total }
        }
    }

    /// Recomputes every hash and link of a tenant's sealed chain, and counts what is not sealed yet,
    /// both from one snapshot (a sealer may commit at any moment).
    public static func verify(tenantID: String, on connection: PostgresConnection) throws -> AuditVerification {
        let rows = try connection.query(
            """
            WITH tenant_events AS (SELECT * FROM events WHERE tenant_id = $1),
            sealed AS (
                SELECT seq,
                       hash = fwa_event_hash(prev_hash, tenant_id, seq, request_id, at, actor, action, before, after) AS hash_ok,
                       prev_hash = coalesce(lag(hash) OVER (ORDER BY seq), $2) AS link_ok,
                       seq = row_number() OVER (ORDER BY seq) AS seq_ok
                  FROM tenant_events WHERE seq IS NOT NULL
            )
            SELECT sealed.*, (SELECT count(*) FROM tenant_events WHERE hash IS NULL) AS unsealed
              FROM (SELECT 1) AS one LEFT JOIN sealed ON true ORDER BY sealed.seq
            """, tenantID, genesis
        ).rows
        let unsealed: Int = try rows.first?.decode("unsealed") ?? 0
        let sealed = try rows.filter { try $0.decodeIfPresent("seq", as: Int64.self) != nil }
        for row in sealed {
            let ok =
                try row.decode("hash_ok", as: Bool.self) && row.decode("link_ok", as: Bool.self)
                && row.decode("seq_ok", as: Bool.self)
            if !ok {
                return AuditVerification(count: sealed.count, firstBrokenSeq: try row.decode("seq"), unsealed: unsealed)
            }
        }
        return AuditVerification(count: sealed.count, firstBrokenSeq: nil, unsealed: unsealed)
    }
}
