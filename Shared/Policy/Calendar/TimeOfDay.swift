/// A wall-clock time `HH:MM` (24-hour), used for core hours and flextime bandwidths.
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Minutes after midnight (0–1439).
    public let minutes: Int

    /// The time `hour:minute`; `nil` outside 00:00–23:59.
    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        minutes = hour * 60 + minute
    }

    /// Parses `H:MM` or `HH:MM`.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    /// `HH:MM`.
    public var description: String {
        let hour = minutes / 60
        let minute = minutes % 60
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    /// Orders times within a day.
    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }
}

extension TimeOfDay: Codable {
    /// Decodes `HH:MM`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = TimeOfDay(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "invalid time \"\(text)\"; expected HH:MM (00:00–23:59)")
        }
        self = time
    }

    /// Encodes `HH:MM`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A span of the working day, such as core hours (`start` to `end`).
public struct HoursWindow: Codable, Sendable, Equatable {
    /// When the window opens.
    public var start: TimeOfDay
    /// When the window closes.
    public var end: TimeOfDay
    /// Where the policy states it.
    public var source: String?

    /// A window from `start` to `end`.
    public init(start: TimeOfDay, end: TimeOfDay, source: String? = nil) {
        self.start = start
        self.end = end
        self.source = source
    }
}
