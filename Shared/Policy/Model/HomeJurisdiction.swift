/// The tenant's home jurisdiction.
public struct HomeJurisdiction: Codable, Sendable, Equatable {
    /// ISO 3166-1 alpha-2 country (`US`).
    public var country: String
    /// Region code within the country (`MA`).
    public var region: String

    /// `country`, `region`.
    public init(country: String, region: String) {
        self.country = country
        self.region = region
    }

    /// `US-MA`.
    public var jurisdiction: String { country + "-" + region }
}
