import Crypto
import Foundation

/// Reads the Ed25519 keys that sign and check audit anchors. A file holds either the key in PEM
/// (`openssl genpkey -algorithm ed25519` for the private key, `openssl pkey -pubout` for the
/// public one; or `fwactl audit keygen`) or its 32 raw bytes in base64 on one line.
public enum AuditAnchorKey {
    /// DER prefixes of an Ed25519 PKCS#8 private key and SubjectPublicKeyInfo (RFC 8410); the
    /// 32 key bytes follow.
    static let privatePrefix: [UInt8] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]
    static let publicPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

    /// The private key in `text`.
    public static func privateKey(from text: String) throws -> Curve25519.Signing.PrivateKey {
        try Curve25519.Signing.PrivateKey(
            rawRepresentation: try keyBytes(text, label: "PRIVATE KEY", prefix: privatePrefix))
    }

    /// The public key in `text`.
    public static func publicKey(from text: String) throws -> Curve25519.Signing.PublicKey {
        try Curve25519.Signing.PublicKey(
            rawRepresentation: try keyBytes(text, label: "PUBLIC KEY", prefix: publicPrefix))
    }

    /// `key` as a PKCS#8 PEM document.
    public static func pem(_ key: Curve25519.Signing.PrivateKey) -> String {
        pem(label: "PRIVATE KEY", der: privatePrefix + key.rawRepresentation)
    }

    /// `key` as a SubjectPublicKeyInfo PEM document.
    public static func pem(_ key: Curve25519.Signing.PublicKey) -> String {
        pem(label: "PUBLIC KEY", der: publicPrefix + key.rawRepresentation)
    }

    private static func pem(label: String, der: [UInt8]) -> String {
        "-----BEGIN \(label)-----\n\(Data(der).base64EncodedString())\n-----END \(label)-----\n"
    }

    private static func keyBytes(_ text: String, label: String, prefix: [UInt8]) throws -> [UInt8] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("-----BEGIN \(label)-----") {
            let body = trimmed.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
            guard let der = Data(base64Encoded: body).map({ [UInt8]($0) }), der.count == prefix.count + 32,
                der.starts(with: prefix)
            else {
                throw AuditAnchorError.badKey("expected an Ed25519 \(label.lowercased()) in PEM")
            }
            return Array(der.dropFirst(prefix.count))
        }
        guard let raw = Data(base64Encoded: trimmed), raw.count == 32 else {
            throw AuditAnchorError.badKey("expected an Ed25519 \(label.lowercased()): PEM, or 32 bytes in base64")
        }
        return Array(raw)
    }
}

extension AuditAnchorKey {
    /// A new key pair, as PEM documents (private, public).
    public static func generate() -> (privatePEM: String, publicPEM: String) {
        let key = Curve25519.Signing.PrivateKey()
        return (pem(key), pem(key.publicKey))
    }
}

extension AuditAnchorKey {
    /// The public key type, for callers that do not import Crypto.
    public typealias PublicKey = Curve25519.Signing.PublicKey
}
