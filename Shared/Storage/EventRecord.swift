import Foundation
import Postgres

/// A row of `events` (the audit trail) for one request.
public struct EventRecord: Sendable, Equatable {
    /// The event's id: increasing in the order the events were written.
    public var id: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var before: String?
    public var after: String?

    public init(row: PostgresRow) throws {
        id = try row.decode("id")
        at = try row.decode("at")
        actor = try row.decode("actor")
        action = try row.decode("action")
        before = try row.decodeIfPresent("before")
        after = try row.decodeIfPresent("after")
    }
}

extension AuditLog {
    /// The events of a request, in the order they were written.
    public static func events(of requestID: UUID, on connection: PostgresConnection) throws -> [EventRecord] {
        try connection.query(
            """
            SELECT id, at, actor, action, before::text AS before, after::text AS after
              FROM events WHERE request_id = $1 ORDER BY id
            """, requestID
        ).rows.map(EventRecord.init(row:))
    }
}
