/// A location rule: when the work location is in `scope` for longer than `more_than`, apply
/// `effect`.
public struct LocationRule: Codable, Sendable, Equatable {
    /// Rule id.
    public var id: String
    /// Finding kind reported (`out_of_home_region`, `international`, `temporary_limit`…).
    public var kind: String
    /// Which locations the rule is about.
    public var scope: LocationScope
    /// For `outside_regions`: the allowed jurisdictions.
    public var regions: [String]?
    /// For `outside_regions`: a region group id instead of a list.
    public var regionGroup: String?
    /// Threshold; the rule fires on any stay when absent.
    public var moreThan: StayThreshold?
    /// Arrangement types it applies to (all when absent).
    public var appliesTo: [String]?
    /// Employee classes it applies to (all when absent).
    public var employeeClasses: [String]?
    /// Extra condition.
    public var when: Condition?
    /// Reject, add a step, or alert.
    public var effect: LocationEffect
    /// Step added by `add_step`.
    public var step: ApprovalStepDefinition?
    /// Role keys notified (default: the `alert_routes` entry of `kind`).
    public var recipients: [String]?
    /// A sentence citing the clause.
    public var message: String
    /// The clause.
    public var source: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, scope, regions
        case regionGroup = "region_group"
        case moreThan = "more_than"
        case appliesTo = "applies_to"
        case employeeClasses = "employee_classes"
        case when, effect, step, recipients, message, source
    }
}
