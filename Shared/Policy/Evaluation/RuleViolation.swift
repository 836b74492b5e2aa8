/// A rule a request breaks, or a warning.
public struct RuleViolation: Codable, Sendable, Equatable {
    /// The rule's id (`rutgers-ad-hoc-cap`, or a built-in id such as `remote_days.max`).
    public var ruleId: String
    /// A sentence for the employee, citing the clause.
    public var message: String
    /// JSON pointer of the request field concerned (`/remote_days_per_week`).
    public var field: String?
    /// The clause (`Article 59 §I Ad Hoc`).
    public var citation: String?

    /// A violation.
    public init(ruleId: String, message: String, field: String? = nil, citation: String? = nil) {
        self.ruleId = ruleId
        self.message = message
        self.field = field
        self.citation = citation
    }

    enum CodingKeys: String, CodingKey {
        case ruleId = "rule_id"
        case message, field, citation
    }
}
