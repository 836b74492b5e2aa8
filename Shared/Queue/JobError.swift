import Foundation
import Postgres

/// How a handler decides its job's fate, beyond success (return) and a plain error (retry with
/// backoff until `max_attempts`, then dead letter).
public enum JobError: Error, Sendable, CustomStringConvertible {
    /// Run again after this delay; does not count as an attempt.
    case snooze(Duration)
    /// A permanent failure: keep the job as failed (dead letter) now, without retrying.
    case discard(String)
    /// The job was finished in the handler's own way (e.g. cancelled); nothing more to record.
    case cancel(String)

    public var description: String {
        switch self {
        case .snooze(let delay): "snoozed for \(delay)"
        case .discard(let reason): "discarded: \(reason)"
        case .cancel(let reason): "cancelled: \(reason)"
        }
    }
}

/// Exponential backoff with jitter: `base * 2^(attempt-1)`, capped, times a random factor in
/// `[0.5, 1.0]` so that a crowd of failures does not retry in lock step.
public struct RetryPolicy: Sendable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .seconds(1), cap: Duration = .seconds(3600)) {
        self.base = base
        self.cap = cap
    }

    /// The delay before the attempt after `attempt` (1-based) failed.
    public func delay(afterAttempt attempt: Int, random: Double = Double.random(in: 0.5...1.0)) -> Duration {
        let baseSeconds = base.inSeconds
        let capSeconds = cap.inSeconds
        let exponential = min(capSeconds, baseSeconds * pow(2, Double(max(0, min(attempt - 1, 30)))))
        return .milliseconds(Int64(exponential * random * 1000))
    }
}
