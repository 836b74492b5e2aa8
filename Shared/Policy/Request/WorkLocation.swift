/// Where the employee would work.
public struct WorkLocation: Codable, Sendable, Equatable {
    /// ISO 3166-1 alpha-2 country (`US`).
    public var country: String
    /// Region code (`CT`); may be absent abroad.
    public var region: String?
    /// City, for the record.
    public var city: String?

    /// A location.
    public init(country: String, region: String? = nil, city: String? = nil) {
        self.country = country
        self.region = region
        self.city = city
    }

    /// `US-CT`, or the bare country code when there is no region.
    public var jurisdiction: String {
        guard let region, !region.isEmpty else { return country.uppercased() }
        return country.uppercased() + "-" + region.uppercased()
    }
}
