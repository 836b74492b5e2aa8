import Foundation
import Postgres

/// A job a worker holds: it is `running`, and only the holder of this `attempt` may finish it.
public struct ClaimedJob: Sendable {
    public let id: Int64
    public let queue: String
    public let kind: String
    public let tenantID: String
    public let payload: JSONText
    /// 1 on the first run.
    public let attempt: Int
    public let maxAttempts: Int
    public let createdAt: Date
    public let runAt: Date
    public let uniqueKey: String?

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        queue = try row.decode("queue")
        kind = try row.decode("kind")
        tenantID = try row.decode("tenant_id")
        payload = try row.decode("payload")
        attempt = try row.decode("attempt")
        maxAttempts = try row.decode("max_attempts")
        createdAt = try row.decode("created_at")
        runAt = try row.decode("run_at")
        uniqueKey = try row.decodeIfPresent("unique_key")
    }

    /// Decodes the payload.
    public func decodePayload<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try payload.decode(type)
        } catch {
            throw JobError.discard("payload is not a valid \(T.self): \(error)")
        }
    }

    /// True when this is the last attempt allowed.
    public var isLastAttempt: Bool { attempt >= maxAttempts }
}
