import Foundation
import Postgres
import Storage
import Workflow

/// One row of the delivery log, with the event it announces and the action link it carries.
struct DeliveryRecord: Sendable {
    /// The approve/deny link of an approver's email.
    struct ActionToken: Sendable {
        var id: UUID
        var expiresAt: Date
        var usedAt: Date?
    }

    var id: UUID
    var tenantID: String
    var requestID: UUID?
    var eventKey: String
    var channel: DeliveryChannel
    var recipient: String
    var kind: NotificationKind
    var status: DeliveryStatus
    var attempts: Int
    /// Whether the `notified` audit event of a delivered delivery was appended.
    var isAudited: Bool
    var data: [String: String]
    var actionToken: ActionToken?

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        tenantID = try row.decode("tenant_id")
        requestID = try row.decodeIfPresent("request_id")
        eventKey = try row.decode("event_key")
        channel = try Self.value(row, "channel", DeliveryChannel.init(rawValue:))
        recipient = try row.decode("recipient")
        kind = try Self.value(row, "kind", NotificationKind.init(rawValue:))
        status = try row.decode("status")
        attempts = try row.decode("attempts")
        isAudited = try row.decode("audited", as: Bool.self)
        data = try row.decodeIfPresent("data", as: JSONText.self)?.decode([String: String].self) ?? [:]
        if let tokenID: UUID = try row.decodeIfPresent("token_id") {
            actionToken = ActionToken(
                id: tokenID, expiresAt: try row.decode("token_expires_at"),
                usedAt: try row.decodeIfPresent("token_used_at"))
        }
    }

    private static func value<T>(_ row: PostgresRow, _ column: String, _ make: (String) -> T?) throws -> T {
        let text: String = try row.decode(column)
        guard let value = make(text) else {
            throw PostgresError(kind: .decoding, message: "column \(column) holds an unknown value")
        }
        return value
    }
}
