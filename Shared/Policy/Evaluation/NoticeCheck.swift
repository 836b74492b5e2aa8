/// The result of a notice check.
public struct NoticeCheck: Codable, Sendable, Equatable {
    /// No violation.
    public var ok: Bool
    /// Earliest effective date the notice allows (nil when no notice period applies).
    public var earliestEffectiveDate: CivilDate?
    /// What is wrong.
    public var violations: [RuleViolation]

    enum CodingKeys: String, CodingKey {
        case ok
        case earliestEffectiveDate = "earliest_effective_date"
        case violations
    }
}
