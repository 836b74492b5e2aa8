import Foundation
import Jobs
import Postgres
import Storage
import Workflow

/// The delivery log (`deliveries`), the events it belongs to (`notification_events`) and the
/// action links approvers' emails carry (`action_tokens`).
enum DeliveryStore {
    /// Records the event once; returns the tenant that owns its key (the first writer's).
    /// The insert and the read go out together (one round trip).
    static func recordEvent(_ request: NotificationJob, on connection: PostgresConnection) throws -> String {
        connection.pipeline(
            prepared: """
                INSERT INTO notification_events (event_key, tenant_id, request_id, kind, data) VALUES ($1, $2, $3, $4, $5::jsonb)
                ON CONFLICT (event_key) DO NOTHING
                """, request.eventKey, request.tenantID, request.requestID, request.kind.rawValue,
            try JSONText(encoding: request.data))
        return try connection.query(
            prepared: "SELECT tenant_id FROM notification_events WHERE event_key = $1", request.eventKey
        )
        .first!.decode("tenant_id")
    }

    /// Inserts a pending delivery; nil when one for the same event, channel and recipient exists.
    static func insertPending(
        _ target: DeliveryTarget, request: NotificationJob, on connection: PostgresConnection
    ) throws -> UUID? {
        try connection.query(
            prepared: """
                INSERT INTO deliveries (id, tenant_id, request_id, event_key, channel, recipient, kind) VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (event_key, channel, recipient) DO NOTHING RETURNING id
                """, UUID(), request.tenantID, request.requestID, request.eventKey, target.channel.rawValue,
            target.recipient,
            request.kind.rawValue
        ).first?.decode("id")
    }

    /// Records a recipient that could not be resolved as a failed delivery; false when it was
    /// already recorded.
    static func insertUnresolved(
        _ unresolved: UnresolvedRecipient, request: NotificationJob, on connection: PostgresConnection
    ) throws -> Bool {
        try connection.query(
            """
            INSERT INTO deliveries (id, tenant_id, request_id, event_key, channel, recipient, kind, status, last_error)
            VALUES ($1, $2, $3, $4, 'email', $5, $6, 'failed', $7)
            ON CONFLICT (event_key, channel, recipient) DO NOTHING
            """, UUID(), request.tenantID, request.requestID, request.eventKey, unresolved.label, request.kind.rawValue,
            unresolved.reason
        ).affectedRows == 1
    }

    /// Creates the action token of an approver's email and attaches it to the delivery (both in
    /// the connection's pipeline: they go out with the transaction's next answered statement).
    static func attachActionToken(
        delivery: UUID, request: NotificationJob, requestID: UUID, action: StepAction,
        ttl: Duration, on connection: PostgresConnection
    ) {
        let token = ActionTokenStore.create(
            tenantID: request.tenantID, requestID: requestID, action: action, ttl: ttl,
            on: connection)
        connection.pipeline(prepared: "UPDATE deliveries SET action_token_id = $2 WHERE id = $1", delivery, token)
    }

    /// One delivery with its event and action token.
    static func load(_ id: UUID, on connection: PostgresConnection) throws -> DeliveryRecord? {
        try connection.query(
            prepared: """
                SELECT d.id, d.tenant_id, d.request_id, d.event_key, d.channel, d.recipient, d.kind, d.status, d.attempts,
                       d.audited_at IS NOT NULL AS audited,
                       e.data::text AS data, t.id AS token_id, t.expires_at AS token_expires_at, t.used_at AS token_used_at
                  FROM deliveries d
                  LEFT JOIN notification_events e ON e.event_key = d.event_key
                  LEFT JOIN action_tokens t ON t.id = d.action_token_id
                 WHERE d.id = $1
                """, id
        ).first.map(DeliveryRecord.init(row:))
    }

    /// Marks a delivery sent: one more attempt, the time, and the message id when there is one.
    /// Meant to run on its own (autocommit) right after the receiver accepted the message, so that
    /// it holds no lock but the row's; false when the row was already delivered.
    @discardableResult
    static func markDelivered(_ id: UUID, messageID: String?, on connection: PostgresConnection) throws -> Bool {
        try connection.query(
            prepared: """
                UPDATE deliveries SET status = 'delivered', delivered_at = now(), attempts = attempts + 1, message_id = $2
                 WHERE id = $1 AND status <> 'delivered'
                """, id, messageID
        ).affectedRows == 1
    }

    /// Appends the `notified` audit event of a delivered delivery, exactly once (`audited_at`
    /// records it; a concurrent caller waits for the row and then finds it audited). Runs in the
    /// transaction that completes the delivery's job; false when there was nothing to append.
    @discardableResult
    static func recordNotified(_ id: UUID, on connection: PostgresConnection) throws -> Bool {
        guard
            let row = try connection.query(
                prepared: """
                    UPDATE deliveries SET audited_at = now()
                     WHERE id = $1 AND status = 'delivered' AND audited_at IS NULL
                    RETURNING tenant_id, request_id, event_key, channel, recipient, kind
                    """, id
            ).first
        else { return false }
        AuditLog.append(
            AuditEvent(
                tenantID: try row.decode("tenant_id"), requestID: try row.decodeIfPresent("request_id"),
                actor: "notifier",
                action: "notified",
                after: try JSONText(encoding: [
                    "delivery_id": id.uuidString.lowercased(),
                    "event_key": try row.decode("event_key", as: String.self),
                    "channel": try row.decode("channel", as: String.self),
                    "recipient": try row.decode("recipient", as: String.self),
                    "kind": try row.decode("kind", as: String.self),
                ])), on: connection)
        return true
    }

    /// Records a failed attempt; `final` marks the delivery failed for good.
    static func recordFailure(_ id: UUID, error: String, final: Bool, on connection: PostgresConnection) throws {
        try connection.query(
            """
            UPDATE deliveries SET attempts = attempts + 1, last_error = $2,
                   status = CASE WHEN $3::boolean THEN 'failed' ELSE status END
             WHERE id = $1 AND status <> 'delivered'
            """, id, String(error.prefix(1000)), final)
    }
}
