import Crypto
import Foundation

/// The token of an approver's email action link: `<action_tokens.id>.<MAC>`, where the id is the
/// row's UUID in lowercase text and the MAC is `base64url(HMAC-SHA256(secret, id text))` without
/// padding. The secret is `FWA_ACTION_LINK_SECRET`, shared by the notifier (which signs links)
/// and the intake (which serves them).
///
/// A valid signature only says the notifier made the token; whoever serves the link must still
/// check the `action_tokens` row: expiry, single use (`used_at`), the step and the approver.
public enum ActionLink {
    /// The path of a link under the public base URL: `/v1/actions/<token>`.
    public static func path(token: String) -> String { "/v1/actions/" + token }

    /// The token for the `action_tokens` row `id`.
    public static func token(id: UUID, secret: SymmetricKey) -> String {
        let text = id.uuidString.lowercased()
        return text + "." + base64URL(Data(mac(text, secret: secret)))
    }

    /// The token for the `action_tokens` row `id`, with the secret as UTF-8 text.
    public static func token(id: UUID, secret: String) -> String {
        token(id: id, secret: key(secret))
    }

    /// The row id when `token` is well formed and carries a valid MAC; nil when it is malformed,
    /// forged or altered. The MAC comparison takes the same time wherever the bytes differ.
    public static func verify(_ token: String, secret: SymmetricKey) -> UUID? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 36, let id = UUID(uuidString: String(parts[0])),
            String(parts[0]) == id.uuidString.lowercased()
        else { return nil }
        let expected = Array(base64URL(Data(mac(String(parts[0]), secret: secret))).utf8)
        let given = Array(parts[1].utf8)
        guard given.count == expected.count else { return nil }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ given[index] }
        return difference == 0 ? id : nil
    }

    /// `verify` with the secret as UTF-8 text.
    public static func verify(_ token: String, secret: String) -> UUID? {
        verify(token, secret: key(secret))
    }

    /// Base64url without padding (RFC 4648 §5).
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func key(_ secret: String) -> SymmetricKey { SymmetricKey(data: Data(secret.utf8)) }

    private static func mac(_ text: String, secret: SymmetricKey) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: secret)
    }
}
