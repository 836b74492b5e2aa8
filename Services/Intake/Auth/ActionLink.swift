import Crypto
import Foundation

/// The token of an email action link: `<action_tokens.id>.<HMAC-SHA256 base64url>`, the MAC
/// taken over the id's lowercase text with `FWA_ACTION_LINK_SECRET`. The notifier signs links
/// with `sign`; the intake checks them with `verify` and then consults the `action_tokens` row
/// (expiry, single use, step and person).
enum ActionLink {
    /// The token for the `action_tokens` row `id`.
    static func sign(id: UUID, secret: String) -> String {
        let text = id.uuidString.lowercased()
        return text + "." + Base64URL.encode(Data(mac(text, secret: secret)))
    }

    /// The row id when `token` carries a valid signature, nil when it is malformed or forged.
    static func verify(_ token: String, secret: String) -> UUID? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let id = UUID(uuidString: String(parts[0])),
              String(parts[0]) == id.uuidString.lowercased() else { return nil }
        let expected = Array(Base64URL.encode(Data(mac(String(parts[0]), secret: secret))).utf8)
        let given = Array(parts[1].utf8)
        // Constant time in the length of the expected MAC.
        guard given.count == expected.count else { return nil }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ given[index] }
        return difference == 0 ? id : nil
    }

    private static func mac(_ text: String, secret: String) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8)))
    }
}
