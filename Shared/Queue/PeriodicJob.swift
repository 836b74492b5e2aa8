import Foundation
import Postgres

/// A job enqueued on a schedule, once per scheduled time across the whole cluster (its unique
/// key names the time), by whichever node holds the maintenance lock.
public struct PeriodicJob: Sendable {
    /// When it fires.
    public enum Schedule: Sendable {
        /// At every multiple of the interval since the Unix epoch.
        case every(Duration)
        /// Every day at this wall-clock time in the time zone.
        case daily(hour: Int, minute: Int, timeZone: TimeZone)
    }

    public var name: String
    public var schedule: Schedule
    /// The job to enqueue (its `runAt` and `uniqueKey` are set per firing).
    public var job: NewJob

    public init(name: String, schedule: Schedule, job: NewJob) {
        self.name = name
        self.schedule = schedule
        self.job = job
    }

    /// The latest scheduled time at or before `now`.
    public func latestFireTime(atOrBefore now: Date) -> Date {
        switch schedule {
        case .every(let interval):
            let seconds = max(1, interval.inSeconds)
            return Date(timeIntervalSince1970: (now.timeIntervalSince1970 / seconds).rounded(.down) * seconds)
        case .daily(let hour, let minute, let timeZone):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let today = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: now) ?? now
            return today <= now ? today : calendar.date(byAdding: .day, value: -1, to: today) ?? today
        }
    }

    /// The job for the firing at `time`.
    func firing(at time: Date) -> NewJob {
        var job = self.job
        job.runAt = time
        job.uniqueKey = "periodic:\(name):\(Int64(time.timeIntervalSince1970))"
        return job
    }
}
