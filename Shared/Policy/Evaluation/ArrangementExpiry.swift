/// When a time-limited arrangement ends, and when to give notice of it.
public struct ArrangementExpiry: Codable, Sendable, Equatable {
    /// Last day the arrangement may run.
    public var lastDay: CivilDate
    /// Day the renewal or return notice is due.
    public var noticeOn: CivilDate
    /// Rule that limits it (`max_duration`, or a location rule id).
    public var ruleId: String
    /// The clause.
    public var citation: String?

    /// An expiry.
    public init(lastDay: CivilDate, noticeOn: CivilDate, ruleId: String, citation: String?) {
        self.lastDay = lastDay
        self.noticeOn = noticeOn
        self.ruleId = ruleId
        self.citation = citation
    }

    enum CodingKeys: String, CodingKey {
        case lastDay = "last_day"
        case noticeOn = "notice_on"
        case ruleId = "rule_id"
        case citation
    }
}
