/// One row of a result, with its values copied out of libpq as text.
public struct PostgresRow: Sendable {
    let columns: PostgresColumns
    let values: [String?]

    /// The value of `column` as `T`; throws when it is NULL or not a valid `T`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let text = try rawValue(column) else {
            throw PostgresError(kind: .decoding, message: "column \(column) is NULL, expected \(T.self)")
        }
        guard let value = T.decode(postgresText: text) else {
            throw PostgresError(
                kind: .decoding, message: "column \(column) is not a valid \(T.self): \"\(text.prefix(64))\"")
        }
        return value
    }

    /// The value of `column` as `T`, or nil when it is NULL; throws when it is not a valid `T`.
    public func decodeIfPresent<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        guard let text = try rawValue(column) else { return nil }
        guard let value = T.decode(postgresText: text) else {
            throw PostgresError(
                kind: .decoding, message: "column \(column) is not a valid \(T.self): \"\(text.prefix(64))\"")
        }
        return value
    }

    /// The text of `column` as the server sent it, nil for NULL.
    public func rawValue(_ column: String) throws -> String? {
        guard let index = columns.index(of: column) else {
            throw PostgresError(kind: .decoding, message: "no column \(column) in the result")
        }
        return values[index]
    }
}

/// The column names of a result, shared by its rows.
final class PostgresColumns: Sendable {
    let names: [String]

    init(names: [String]) { self.names = names }

    func index(of name: String) -> Int? {
        // Results are narrow (a dozen columns at most): a linear scan beats hashing here.
        names.firstIndex(of: name)
    }
}

/// The rows a statement returned and the number of rows it affected.
public struct PostgresResult: Sendable {
    public let rows: [PostgresRow]
    /// The count from the command tag (`UPDATE 3` → 3), 0 when there is none.
    public let affectedRows: Int

    /// The first row, or nil.
    public var first: PostgresRow? { rows.first }
}
