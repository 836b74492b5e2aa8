import Foundation
import Postgres

/// A keyset cursor over lists ordered newest first by `(created_at, id)`: opaque to clients
/// (base64url of the last item's timestamp and id).
struct PageCursor: Sendable, Equatable {
    var createdAt: Date
    var id: String

    var token: String {
        Base64URL.encode(Data("\(createdAt.postgresText ?? "")|\(id)".utf8))
    }

    /// Parses a client's cursor; `400 malformed-request` when it is not one of ours.
    init(token: String) throws(APIProblem) {
        var text = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text), let plain = String(data: data, encoding: .utf8) else {
            throw Self.invalid
        }
        let parts = plain.split(separator: "|", maxSplits: 1).map(String.init)
        guard parts.count == 2, let date = Date.decode(postgresText: parts[0]), UUID(uuidString: parts[1]) != nil else {
            throw Self.invalid
        }
        createdAt = date
        id = parts[1]
    }

    init(createdAt: Date, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    /// The cursor of a `cursor` parameter, nil when absent.
    static func parse(_ token: String?) throws(APIProblem) -> PageCursor? {
        try token.map { token throws(APIProblem) in try PageCursor(token: token) }
    }

    /// The page size from `limit` (1 to 200, default 50), `422 validation` otherwise.
    static func limit(_ value: Int?) throws(APIProblem) -> Int {
        guard let value else { return 50 }
        guard (1...200).contains(value) else {
            throw APIProblem.validation([.init(pointer: "#limit", message: "must be between 1 and 200, got \(value)")])
        }
        return value
    }

    private static let invalid = APIProblem(
        .malformedRequest, "The cursor is not valid; pass back the next_cursor of the previous page unchanged.",
        errors: [.init(pointer: "#cursor", message: "is not a cursor this API issued")])
}

/// Builds a WHERE clause from optional filters with numbered parameters, never by pasting values.
struct SQLFilter: Sendable {
    private(set) var conditions: [String] = []
    private(set) var parameters: [any PostgresEncodable] = []

    /// Adds a condition; `$?` in `sql` becomes the next parameter number.
    mutating func add(_ sql: String, _ value: any PostgresEncodable) {
        parameters.append(value)
        conditions.append(sql.replacingOccurrences(of: "$?", with: "$\(parameters.count)"))
    }

    /// Adds the keyset condition of a cursor over `(created_at, id)` of `table`.
    mutating func after(_ cursor: PageCursor?, table: String, idType: String) {
        guard let cursor else { return }
        parameters.append(cursor.createdAt)
        parameters.append(cursor.id)
        let first = parameters.count - 1
        let second = parameters.count
        conditions.append("(\(table).created_at, \(table).id) < ($\(first)::timestamptz, $\(second)::\(idType))")
    }

    var whereClause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }

    /// The parameter number of the next parameter (for LIMIT).
    mutating func limit(_ value: Int) -> String {
        parameters.append(value)
        return "LIMIT $\(parameters.count)"
    }
}

extension PageCursor {
    /// The cursor of the page after `page`, whose query asked for `limit + 1` rows and got
    /// `fetched`; nil when there is no further page. `key` gives an item's `(created_at, id)`.
    static func next<Item>(after page: [Item], fetched: Int, limit: Int, key: (Item) -> (Date, String)) -> String? {
        guard fetched > limit, let last = page.last else { return nil }
        let (createdAt, id) = key(last)
        return PageCursor(createdAt: createdAt, id: id).token
    }
}
