/// The engine's answer for one request.
public struct Evaluation: Codable, Sendable, Equatable {
    /// No violation: the request may go to its approvers.
    public var eligible: Bool
    /// Rules the request breaks (each with a citation).
    public var violations: [RuleViolation]
    /// Things the approvers should see.
    public var warnings: [RuleViolation]
    /// The approval chain, in order.
    public var chain: [ChainStep]
    /// Compliance findings (location rules and notifications).
    public var findings: [ComplianceFinding]
    /// The same person may not approve two steps (enforce through delegation too).
    public var distinctApprovers: Bool
    /// Last day of a time-limited arrangement, when there is one.
    public var expiry: ArrangementExpiry?

    /// An evaluation.
    public init(
        eligible: Bool, violations: [RuleViolation], warnings: [RuleViolation], chain: [ChainStep],
        findings: [ComplianceFinding], distinctApprovers: Bool, expiry: ArrangementExpiry? = nil
    ) {
        self.eligible = eligible
        self.violations = violations
        self.warnings = warnings
        self.chain = chain
        self.findings = findings
        self.distinctApprovers = distinctApprovers
        self.expiry = expiry
    }

    enum CodingKeys: String, CodingKey {
        case eligible, violations, warnings, chain, findings
        case distinctApprovers = "distinct_approvers"
        case expiry
    }
}
