/// Where employees may work, and what work away from home triggers.
public struct LocationPolicy: Codable, Sendable, Equatable {
    /// Named lists of jurisdictions (`new_england`).
    public var regionGroups: [RegionGroup]?
    /// Location rules, evaluated in order.
    public var rules: [LocationRule]?

    enum CodingKeys: String, CodingKey {
        case regionGroups = "region_groups"
        case rules
    }
}

/// A named list of jurisdictions (`US-MA`, `US-CT`…; a bare country code such as `CA`
/// stands for the whole country).
public struct RegionGroup: Codable, Sendable, Equatable {
    /// Group id.
    public var id: String
    /// Jurisdictions.
    public var regions: [String]

}

/// Which work locations a rule is about.
public enum LocationScope: String, PolicyKeyword {
    /// Anywhere but the home region (other states and other countries).
    case outsideHomeRegion = "outside_home_region"
    /// Another region of the home country.
    case domesticOutOfRegion = "domestic_out_of_region"
    /// Another country.
    case international
    /// Outside the listed `regions` / `region_group`.
    case outsideRegions = "outside_regions"
}

/// What a location rule does.
public enum LocationEffect: String, PolicyKeyword {
    /// The request is refused.
    case reject
    /// An approval step is added (and `recipients` alerted, if any).
    case addStep = "add_step"
    /// Recipients are alerted.
    case alert
}

/// A stay threshold: the rule fires when the stay is longer than this.
public struct StayThreshold: Codable, Sendable, Equatable {
    /// Consecutive calendar days (MIT international: 30).
    public var consecutiveDays: Int?
    /// Consecutive months (MIT outside New England: 3; Mines classified: 6).
    public var consecutiveMonths: Int?
    /// Calendar days in one calendar year, counting `prior_usage.days_away_this_year`.
    public var daysPerYear: Int?

    enum CodingKeys: String, CodingKey {
        case consecutiveDays = "consecutive_days"
        case consecutiveMonths = "consecutive_months"
        case daysPerYear = "days_per_year"
    }
}
