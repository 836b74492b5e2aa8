/// A compliance finding about where or how the employee would work.
public struct ComplianceFinding: Codable, Sendable, Equatable {
    /// The rule that found it.
    public var ruleId: String
    /// `out_of_home_region`, `outside_allowed_regions`, `international`, `temporary_limit`…
    public var kind: String
    /// Jurisdiction concerned (`US-CT`).
    public var jurisdiction: String?
    /// What it does.
    public var effect: LocationEffect
    /// Who is told.
    public var recipients: [Recipient]
    /// A sentence citing the clause.
    public var message: String
    /// The clause.
    public var citation: String?

    /// A finding.
    public init(
        ruleId: String, kind: String, jurisdiction: String?, effect: LocationEffect,
        recipients: [Recipient], message: String, citation: String?
    ) {
        self.ruleId = ruleId
        self.kind = kind
        self.jurisdiction = jurisdiction
        self.effect = effect
        self.recipients = recipients
        self.message = message
        self.citation = citation
    }

    enum CodingKeys: String, CodingKey {
        case ruleId = "rule_id"
        case kind, jurisdiction, effect, recipients, message, citation
    }
}
