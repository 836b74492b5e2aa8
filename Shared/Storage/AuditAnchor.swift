import Crypto
import Foundation
import Postgres

/// A signed statement that a tenant's sealed audit chain had `hash` at `seq` when it was anchored.
///
/// The database owner can rewrite an event and recompute every later hash, and the chain then
/// verifies again; it cannot make the rewritten chain end in a hash that an anchor signed earlier,
/// nor sign a new anchor, because the signing key is held by whoever exports anchors
/// (`fwactl audit anchor`), not by the database, and anchors are kept where the owner cannot
/// write. `fwactl audit verify --anchors` checks each anchor's signature and that the chain still
/// has that exact hash at that sequence number.
public struct AuditAnchor: Codable, Sendable, Equatable {
    public var tenantID: String
    public var seq: Int64
    public var hash: String
    /// When it was signed (ISO 8601, UTC).
    public var anchoredAt: String
    /// Ed25519 over `signedBytes`, base64.
    public var signature: String

    enum CodingKeys: String, CodingKey {
        case tenantID = "tenant_id"
        case seq, hash
        case anchoredAt = "anchored_at"
        case signature
    }

    /// The bytes the signature covers: a versioned line per field.
    var signedBytes: Data {
        Data("flexwork-audit-anchor/v1\n\(tenantID)\n\(seq)\n\(hash)\n\(anchoredAt)\n".utf8)
    }

    /// An anchor of `head`, signed with `key`.
    public static func sign(_ head: AuditHead, at date: Date = Date(), with key: Curve25519.Signing.PrivateKey) throws
        -> AuditAnchor
    {
        var anchor = AuditAnchor(
            tenantID: head.tenantID, seq: head.seq, hash: head.hash,
            anchoredAt: date.formatted(.iso8601), signature: "")
        anchor.signature = try key.signature(for: anchor.signedBytes).base64EncodedString()
        return anchor
    }

    /// True when `signature` is `key`'s over the anchor's fields.
    public func isSigned(by key: Curve25519.Signing.PublicKey) -> Bool {
        guard let signature = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(signature, for: signedBytes)
    }

    /// The file name an anchor is kept under in its tenant's folder: the sequence number, padded
    /// so that names sort in chain order.
    public var fileName: String { String(format: "%012lld.json", seq) }
}

/// The last sealed event of a tenant's chain.
public struct AuditHead: Sendable, Equatable {
    public let tenantID: String
    public let seq: Int64
    public let hash: String

    public init(tenantID: String, seq: Int64, hash: String) {
        self.tenantID = tenantID
        self.seq = seq
        self.hash = hash
    }

    /// Every tenant's head (tenants with no sealed event have none).
    public static func all(on connection: PostgresConnection) throws -> [AuditHead] {
        try connection.query(
            """
            SELECT DISTINCT ON (tenant_id) tenant_id, seq, hash FROM events WHERE seq IS NOT NULL ORDER BY tenant_id, seq DESC
            """
        ).rows.map {
            AuditHead(tenantID: try $0.decode("tenant_id"), seq: try $0.decode("seq"), hash: try $0.decode("hash"))
        }
    }

    /// The hash the chain has at (`tenantID`, `seq`) now; nil when there is no such sealed event.
    public static func hash(tenantID: String, seq: Int64, on connection: PostgresConnection) throws -> String? {
        try connection.query("SELECT hash FROM events WHERE tenant_id = $1 AND seq = $2", tenantID, seq).first?
            .decodeIfPresent("hash")
    }
}
