import Crypto
import Foundation
import Postgres
import Storage

/// The first answer to a POST or PUT, kept so that a retry with the same `Idempotency-Key`
/// gets it again. It is stored in the same transaction as the business change it answers: if
/// the change rolls back, so does the record, and a retry does the work.
struct StoredAnswer<Body: Codable & Sendable>: Sendable {
    var status: Int
    var location: String?
    var body: Body
}

/// One idempotency key, scoped to the credential, the method and the path.
struct IdempotencyKey: Sendable {
    var tenantID: String
    /// SHA-256 of credential, method, path and the client's key (fits the column, hides nothing useful).
    var storageKey: String
    var method: String
    var path: String
    /// SHA-256 of the canonical request body.
    var requestHash: String

    /// A key for the client's `Idempotency-Key`; nil when the client sent none.
    init?(
        _ clientKey: String?, tenantID: String, credential: String, method: String, path: String, body: some Encodable
    ) throws {
        guard let clientKey else { return nil }
        guard (1...255).contains(clientKey.count) else {
            throw APIProblem.validation([.init(pointer: "#Idempotency-Key", message: "must be 1 to 255 characters")])
        }
        self.tenantID = tenantID
        self.method = method
        self.path = path
        storageKey =
            SHA256.hash(data: Data([credential, method, path, clientKey].joined(separator: "\n").utf8)).hexString
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        requestHash = SHA256.hash(data: try encoder.encode(body)).hexString
    }
}

enum Idempotency {
    /// Replays the answer stored under `key`, or runs `work` and stores its answer, all in the
    /// connection's transaction. Without a key it just runs `work`. `redact` removes what must
    /// not be stored (an API key's secret).
    static func run<Body: Codable & Sendable>(
        _ key: IdempotencyKey?, on connection: PostgresConnection, redact: (inout Body) -> Void = { _ in },
        _ work: () throws -> StoredAnswer<Body>
    ) throws -> StoredAnswer<Body> {
        guard let key else { return try work() }
        // Blocks behind a concurrent first attempt until it commits or rolls back.
        let inserted =
            try connection.query(
                prepared: """
                    INSERT INTO idempotency_keys (tenant_id, key, method, path, request_hash)
                    VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, key) DO NOTHING
                    """, [key.tenantID, key.storageKey, key.method, key.path, key.requestHash]
            ).affectedRows == 1
        if !inserted { return try replay(key, on: connection) }
        let answer = try work()
        var stored = answer.body
        redact(&stored)
        let body = String(decoding: try JSONEncoder().encode(stored), as: UTF8.self)
        let headers = try JSONText(encoding: ["location": answer.location])
        connection.pipeline(
            prepared: """
                UPDATE idempotency_keys SET status = $3, headers = $4::jsonb, body = convert_to($5, 'UTF8')
                 WHERE tenant_id = $1 AND key = $2
                """, key.tenantID, key.storageKey, answer.status, headers, body)
        return answer
    }

    private static func replay<Body: Codable & Sendable>(_ key: IdempotencyKey, on connection: PostgresConnection)
        throws -> StoredAnswer<Body>
    {
        guard
            let row = try connection.query(
                """
                SELECT request_hash, status, headers->>'location' AS location, convert_from(body, 'UTF8') AS body
                  FROM idempotency_keys WHERE tenant_id = $1 AND key = $2
                """, key.tenantID, key.storageKey
            ).first
        else {
            throw APIProblem(
                .idempotencyKeyInUse, "The first attempt with this Idempotency-Key is still running; retry in a moment."
            )
        }
        guard try row.decode("request_hash", as: String.self) == key.requestHash else {
            throw APIProblem(
                .idempotencyKeyReuse,
                "This Idempotency-Key was already used for a different request body; use a new key for a new request.")
        }
        guard let status = try row.decodeIfPresent("status", as: Int.self),
            let text = try row.decodeIfPresent("body", as: String.self)
        else {
            throw APIProblem(
                .idempotencyKeyInUse, "The first attempt with this Idempotency-Key is still running; retry in a moment."
            )
        }
        let body = try JSONDecoder().decode(Body.self, from: Data(text.utf8))
        return StoredAnswer(status: status, location: try row.decodeIfPresent("location"), body: body)
    }
}
