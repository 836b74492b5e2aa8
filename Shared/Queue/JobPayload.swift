import Foundation
import Postgres

/// A job's contract: the payload a producer enqueues and its consumer decodes, with the queue
/// that carries it and the kind its worker dispatches on. Producer and consumer compile against
/// this one definition (the product's contracts are in the `Jobs` module).
public protocol JobPayload: Codable, Sendable {
    /// The queue a worker consumes (`routing`, `notify`, …).
    static var queue: String { get }
    /// What the handler does; unique on its queue.
    static var kind: String { get }
}

extension NewJob {
    /// A job carrying `payload`, on its contract's queue (or `queue`, e.g. a test's own queue).
    public init<Payload: JobPayload>(
        _ payload: Payload, queue: String = Payload.queue, tenantID: String = "", priority: Int = 100,
        runAt: Date? = nil, maxAttempts: Int = 20, uniqueKey: String? = nil
    ) throws {
        try self.init(
            queue: queue, kind: Payload.kind, payload: payload, tenantID: tenantID, priority: priority,
            runAt: runAt, maxAttempts: maxAttempts, uniqueKey: uniqueKey)
    }
}

extension ClaimedJob {
    /// The payload as its contract's type; a payload that does not decode is discarded (dead
    /// letter) with the decoding error, since running it again cannot help.
    public func payload<Payload: JobPayload>(as type: Payload.Type) throws -> Payload {
        try decodePayload(type)
    }
}
