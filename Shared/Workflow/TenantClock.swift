import Foundation
import Policy

/// Dates and instants in a tenant's time zone.
public struct TenantClock: Sendable {
    public let timeZone: TimeZone
    public let now: Date

    public init(policy: TenantPolicy, now: Date) {
        self.timeZone = TimeZone(identifier: policy.timeZone) ?? .gmt
        self.now = now
    }

    /// The tenant's local date now.
    public var today: CivilDate { BusinessCalendar.localDate(at: now, timeZone: timeZone.identifier) }

    /// The instant of `date` at `hour`:`minute` local time.
    public func instant(_ date: CivilDate, hour: Int = 0, minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = date.components
        let components = DateComponents(
            year: parts.year, month: parts.month, day: parts.day, hour: hour, minute: minute)
        return calendar.date(from: components) ?? now
    }
}
