import Foundation
import Postgres

/// A job to enqueue.
public struct NewJob: Sendable {
    /// The queue that a worker consumes (`routing`, `notify`, …).
    public var queue: String
    /// What the handler does; workers dispatch on it.
    public var kind: String
    /// The JSON arguments.
    public var payload: JSONText
    /// The tenant the job works for ("" for none); claims are fair across tenants.
    public var tenantID: String
    /// Lower runs first within a tenant.
    public var priority: Int
    /// When it may start; nil means now.
    public var runAt: Date?
    public var maxAttempts: Int
    /// The same key on the same queue names the same logical job: enqueuing it again is a no-op
    /// that returns the existing job.
    public var uniqueKey: String?

    public init(
        queue: String, kind: String, payload: JSONText = JSONText("{}"), tenantID: String = "",
        priority: Int = 100, runAt: Date? = nil, maxAttempts: Int = 20, uniqueKey: String? = nil
    ) {
        self.queue = queue
        self.kind = kind
        self.payload = payload
        self.tenantID = tenantID
        self.priority = priority
        self.runAt = runAt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
    }

    /// A job whose payload is an `Encodable` value.
    public init<Payload: Encodable>(
        queue: String, kind: String, payload: Payload, tenantID: String = "", priority: Int = 100,
        runAt: Date? = nil, maxAttempts: Int = 20, uniqueKey: String? = nil
    ) throws {
        self.init(
            queue: queue, kind: kind, payload: try JSONText(encoding: payload), tenantID: tenantID,
            priority: priority, runAt: runAt, maxAttempts: maxAttempts, uniqueKey: uniqueKey)
    }
}

/// The outcome of an enqueue.
public struct EnqueuedJob: Sendable, Equatable {
    public let id: Int64
    /// False when a job with the same unique key already existed and was returned instead.
    public let inserted: Bool
}
