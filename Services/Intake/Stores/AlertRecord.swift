import Foundation
import Postgres

/// A row of `alerts`, written by the compliance-checker; the intake lists and acknowledges them.
struct AlertRecord: Sendable {
    var id: UUID
    var requestID: UUID?
    var ruleID: String
    var kind: String
    var jurisdiction: String?
    var from: String?
    var to: String?
    var recipients: [String]
    var status: String
    var createdAt: Date
    var acknowledgedAt: Date?
    var acknowledgedBy: String?
    var note: String?

    static let columns = """
        id, request_id, rule_id, kind, jurisdiction, from_date::text AS from_date, to_date::text AS to_date, recipients,
        status, created_at, acknowledged_at, acknowledged_by, note
        """

    init(row: PostgresRow) throws {
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

    var schema: Components.Schemas.Alert {
        Components.Schemas.Alert(
            id: id.uuidString.lowercased(), requestId: requestID?.uuidString.lowercased(), ruleId: ruleID, kind: kind,
            jurisdiction: jurisdiction, from: from, to: to, recipients: recipients,
            status: Components.Schemas.AlertStatus(rawValue: status) ?? .open, createdAt: createdAt,
            acknowledgedAt: acknowledgedAt, acknowledgedBy: acknowledgedBy, note: note)
    }
}

/// A row of `events` (the audit trail) for one request.
struct EventRecord: Sendable {
    /// The event's id: increasing in the order the events were written.
    var id: Int64
    var at: Date
    var actor: String
    var action: String
    var before: String?
    var after: String?

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        at = try row.decode("at")
        actor = try row.decode("actor")
        action = try row.decode("action")
        before = try row.decodeIfPresent("before")
        after = try row.decodeIfPresent("after")
    }

    static func all(of requestID: UUID, on connection: PostgresConnection) throws -> [EventRecord] {
        try connection.query("""
            SELECT id, at, actor, action, before::text AS before, after::text AS after
              FROM events WHERE request_id = $1 ORDER BY id
            """, requestID).rows.map(EventRecord.init(row:))
    }
}
