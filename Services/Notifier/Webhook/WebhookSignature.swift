import Crypto
import Foundation
import Storage

/// The signature of a webhook delivery, and its check for receivers.
///
/// The notifier sends `X-Flexwork-Timestamp: <unix seconds>` and
/// `X-Flexwork-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, the key being
/// the tenant's webhook secret as UTF-8 text. A receiver recomputes the MAC over the raw body it
/// received, compares in constant time, and refuses timestamps further than `tolerance` from its
/// clock, so a captured request cannot be replayed later. It dedupes on `X-Flexwork-Delivery`.
enum WebhookSignature {
    static let timestampHeader = "X-Flexwork-Timestamp"
    static let signatureHeader = "X-Flexwork-Signature"
    static let deliveryHeader = "X-Flexwork-Delivery"
    /// Five minutes.
    static let defaultTolerance: TimeInterval = 300

    /// Why `verify` refused a request.
    enum Failure: Error, Sendable, Equatable {
        /// No signature header, or not `sha256=<64 hex digits>`.
        case malformedSignature
        /// The timestamp is not a whole number of seconds.
        case malformedTimestamp
        /// The timestamp is further from now than the tolerance: a replay, or a clock far off.
        case staleTimestamp
        /// The MAC does not match: wrong secret, or altered timestamp or body.
        case mismatch
    }

    /// The `X-Flexwork-Signature` value for `body` sent at `timestamp`.
    static func sign(secret: String, timestamp: Int, body: some DataProtocol) -> String {
        "sha256=" + mac(secret: secret, timestamp: String(timestamp), body: body).hexString
    }

    /// Checks a received request: `timestamp` and `signature` are the header values, `body` the
    /// raw bytes. Throws why it is refused; returns when it is authentic and fresh.
    static func verify(
        secret: String, timestamp: String, body: some DataProtocol, signature: String,
        now: Date = Date(), tolerance: TimeInterval = defaultTolerance
    ) throws(Failure) {
        guard signature.hasPrefix("sha256="), let given = hexBytes(signature.dropFirst(7)), given.count == 32 else {
            throw .malformedSignature
        }
        guard timestamp.utf8.count <= 12, timestamp.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let seconds = Int(timestamp)
        else {
            throw .malformedTimestamp
        }
        guard abs(now.timeIntervalSince1970 - TimeInterval(seconds)) <= tolerance else { throw .staleTimestamp }
        let expected = Array(mac(secret: secret, timestamp: timestamp, body: body))
        var difference: UInt8 = 0
        for index in 0..<32 { difference |= expected[index] ^ given[index] }
        guard difference == 0 else { throw .mismatch }
    }

    private static func mac(secret: String, timestamp: String, body: some DataProtocol) -> HashedAuthenticationCode<
        SHA256
    > {
        var authenticator = HMAC<SHA256>(key: SymmetricKey(data: Data(secret.utf8)))
        authenticator.update(data: Data((timestamp + ".").utf8))
        authenticator.update(data: body)
        return authenticator.finalize()
    }

    private static func hexBytes(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 48...57: digit - 48
        case 97...102: digit - 87
        case 65...70: digit - 55
        default: nil
        }
    }
}
