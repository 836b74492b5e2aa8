/// An eligibility rule: when `when` holds, the outcome applies.
public struct EligibilityRule: Codable, Sendable, Equatable {
    /// Rule id, reported in violations (`mines-min-tenure`).
    public var id: String
    /// Arrangement types it applies to (all when absent).
    public var appliesTo: [String]?
    /// When the rule fires.
    public var when: Condition
    /// What firing means.
    public var outcome: RuleOutcome
    /// The step to add for `extra_approval`.
    public var step: ApprovalStepDefinition?
    /// A sentence for the employee or the approver.
    public var message: String
    /// The clause it encodes.
    public var source: String?

    enum CodingKeys: String, CodingKey {
        case id
        case appliesTo = "applies_to"
        case when, outcome, step, message, source
    }
}

/// What an eligibility rule does when it fires.
public enum RuleOutcome: String, PolicyKeyword {
    /// The request is refused.
    case ineligible
    /// An approval step is added (`step`).
    case extraApproval = "extra_approval"
    /// The approver sees a warning.
    case warning
}
