import Crypto
import Foundation
import Storage

/// Tenant API key secrets: 32 random bytes shown once as `fwa_<base64url>`; only the SHA-256
/// (lowercase hex) of the whole secret is stored.
enum APIKeySecret {
    static let prefix = "fwa_"

    /// A new secret.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + Base64URL.encode(Data(bytes))
    }

    /// The stored form of a secret.
    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hexString
    }
}

/// Base64url without padding (RFC 4648 §5).
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
