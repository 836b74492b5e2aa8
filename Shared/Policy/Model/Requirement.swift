/// A field or attestation a request must carry.
public struct Requirement: Codable, Sendable, Equatable {
    /// Attestation (a `true` in `attestations`) or field (non-blank text in `fields`).
    public var kind: RequirementKind
    /// The key in `attestations` or `fields`.
    public var key: String
    /// What the employee is asked.
    public var label: String
    /// Required only when this holds.
    public var when: Condition?
    /// A missing item is a `violation` (default) or a `warning`.
    public var severity: Severity?
    /// The clause.
    public var source: String?

}
