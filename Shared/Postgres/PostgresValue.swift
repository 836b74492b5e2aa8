import Foundation

/// A Swift value that can be sent as a query parameter, in PostgreSQL's text format.
public protocol PostgresEncodable: Sendable {
    /// The parameter's text form, or nil for SQL NULL.
    var postgresText: String? { get }
}

/// A Swift value that can be read from a column in PostgreSQL's text format.
public protocol PostgresDecodable: Sendable {
    /// Parses the column's text form; nil when the text is not a valid value of this type.
    static func decode(postgresText: String) -> Self?
}

extension String: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { self }
    public static func decode(postgresText: String) -> String? { postgresText }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public static func decode(postgresText: String) -> Int? { Int(postgresText) }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public static func decode(postgresText: String) -> Int64? { Int64(postgresText) }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public static func decode(postgresText: String) -> Int32? { Int32(postgresText) }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public static func decode(postgresText: String) -> Double? { Double(postgresText) }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { self ? "t" : "f" }
    public static func decode(postgresText: String) -> Bool? {
        switch postgresText {
        case "t", "true": true
        case "f", "false": false
        default: nil
        }
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { uuidString.lowercased() }
    public static func decode(postgresText: String) -> UUID? { UUID(uuidString: postgresText) }
}

extension Date: PostgresEncodable, PostgresDecodable {
    /// ISO 8601 in UTC with microseconds, e.g. `2026-11-22T13:52:01.123456Z`.
    public var postgresText: String? { PostgresTimestamp.format(self) }
    public static func decode(postgresText: String) -> Date? { PostgresTimestamp.parse(postgresText) }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresText: String? { self?.postgresText }
}

extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// A PostgreSQL array literal; elements are always quoted and escaped.
    public var postgresText: String? {
        var text = "{"
        for (index, element) in enumerated() {
            if index > 0 { text += "," }
            guard let value = element.postgresText else {
                text += "NULL"
                continue
            }
            text += "\""
            for character in value {
                if character == "\"" || character == "\\" { text.append("\\") }
                text.append(character)
            }
            text += "\""
        }
        return text + "}"
    }
}

/// A `jsonb` or `json` parameter or column: the raw JSON text.
public struct JSONText: PostgresEncodable, PostgresDecodable, Hashable {
    public var text: String
    public init(_ text: String) { self.text = text }
    /// Encodes a value with the given encoder (sorted keys by default, so equal values hash equal).
    public init<T: Encodable>(encoding value: T, encoder: JSONEncoder = JSONText.encoder) throws {
        self.text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }
    public var postgresText: String? { text }
    public static func decode(postgresText: String) -> JSONText? { JSONText(postgresText) }
    /// Decodes the JSON text into a value.
    public func decode<T: Decodable>(_ type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }
    /// The encoder used by `init(encoding:)`: sorted keys, ISO 8601 dates.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

/// A string-backed enum stored as its raw value; a value this build does not know fails to
/// decode (an error, never a default).
public protocol PostgresTextEnum: PostgresEncodable, PostgresDecodable, RawRepresentable where RawValue == String {}

extension PostgresTextEnum {
    public var postgresText: String? { rawValue }
    public static func decode(postgresText: String) -> Self? { Self(rawValue: postgresText) }
}
