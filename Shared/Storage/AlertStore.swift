import Foundation
import Policy
import Postgres
import Workflow

/// A row of `alerts`: a compliance finding raised for a request, until a recipient acknowledges it.
public struct AlertRecord: Sendable, Equatable {
    public var id: UUID
    public var requestID: UUID?
    public var ruleID: String
    public var kind: String
    public var jurisdiction: String?
    public var from: CivilDate?
    public var to: CivilDate?
    /// The roles told, who may acknowledge it.
    public var recipients: [String]
    public var status: AlertStatus
    public var createdAt: Date
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    public var note: String?

    /// The columns `init(row:)` reads, of `alerts` under `alias` ("" for none).
    public static func columns(_ alias: String = "") -> String {
        let prefix = alias.isEmpty ? "" : alias + "."
        return [
            "id", "request_id", "rule_id", "kind", "jurisdiction", "from_date", "to_date", "recipients", "status",
            "created_at", "acknowledged_at", "acknowledged_by", "note",
        ].map { prefix + $0 }.joined(separator: ", ")
    }

    public init(row: PostgresRow) throws {
        id = try row.decode("id")
        requestID = try row.decodeIfPresent("request_id")
        ruleID = try row.decode("rule_id")
        kind = try row.decode("kind")
        jurisdiction = try row.decodeIfPresent("jurisdiction")
        from = try row.decodeIfPresent("from_date")
        to = try row.decodeIfPresent("to_date")
        recipients = PostgresTextArray.parse(try row.decode("recipients", as: String.self))
        status = try row.decode("status")
        createdAt = try row.decode("created_at")
        acknowledgedAt = try row.decodeIfPresent("acknowledged_at")
        acknowledgedBy = try row.decodeIfPresent("acknowledged_by")
        note = try row.decodeIfPresent("note")
    }
}

/// The one place that writes `alerts` (the compliance-checker raises, the intake acknowledges),
/// in the caller's transaction.
public enum AlertStore {
    /// Records `finding` for `request` unless an alert with `dedupeKey` exists; returns the new
    /// alert's id, or nil when it was raised before.
    public static func raise(
        _ finding: ComplianceFinding, for request: RequestRecord, dedupeKey: String, from: CivilDate?,
        to: CivilDate?, on connection: PostgresConnection
    ) throws -> UUID? {
        let id = UUID()
        let inserted =
            try connection.query(
                """
                INSERT INTO alerts (id, tenant_id, request_id, rule_id, kind, jurisdiction, from_date, to_date, recipients, message,
                                    dedupe_key)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10, $11)
                ON CONFLICT (tenant_id, dedupe_key) DO NOTHING RETURNING id
                """, id, request.tenantID, request.id, finding.ruleId, finding.kind, finding.jurisdiction, from, to,
                finding.recipients.compactMap(\.role), finding.message, dedupeKey
            ).first != nil
        return inserted ? id : nil
    }

    /// The alert, locked for this transaction, or nil.
    public static func lock(_ id: UUID, on connection: PostgresConnection) throws -> AlertRecord? {
        try connection.query("SELECT \(AlertRecord.columns()) FROM alerts WHERE id = $1 FOR UPDATE", id)
            .first.map(AlertRecord.init(row:))
    }

    /// The alerts of a request, oldest first.
    public static func alerts(of requestID: UUID, on connection: PostgresConnection) throws -> [AlertRecord] {
        try connection.query(
            "SELECT \(AlertRecord.columns()) FROM alerts WHERE request_id = $1 ORDER BY created_at, id", requestID
        )
        .rows.map(AlertRecord.init(row:))
    }

    /// Marks an open alert acknowledged by `actor`; returns it as stored.
    public static func acknowledge(_ id: UUID, by actor: String, note: String?, on connection: PostgresConnection)
        throws -> AlertRecord
    {
        guard
            let row = try connection.query(
                """
                UPDATE alerts SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = $2, note = $3
                 WHERE id = $1 AND status = 'open' RETURNING \(AlertRecord.columns())
                """, id, actor, note
            ).first
        else {
            throw WorkflowError.alreadyAcknowledged("The alert was acknowledged by someone else meanwhile.")
        }
        return try AlertRecord(row: row)
    }
}
