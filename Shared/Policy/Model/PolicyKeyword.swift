/// A fixed word in a tenant file (an effect, an outcome, a year kind…): decoding an unknown
/// word fails with the list of words that are allowed.
public protocol PolicyKeyword: RawRepresentable, CaseIterable, Codable, Sendable, Hashable
where RawValue == String {}

extension PolicyKeyword {
    /// Decodes the word, or fails with `unknown value "x"; expected one of a, b, c`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "unknown value \"\(text)\"; expected one of \(Self.allowedWords)")
        }
        self = value
    }

    /// Encodes the word.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The allowed words, comma separated, in declaration order.
    public static var allowedWords: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }
}
