import Crypto
import Foundation
import Storage

/// The `Message-ID` of a delivery, derived from what makes it unique, so that a message sent again
/// after a crash carries the same id and receivers can drop the copy.
enum MessageID {
    /// `sha256(event_key|channel|recipient)` in hex, `@flexwork` (without angle brackets).
    static func derive(eventKey: String, channel: DeliveryChannel, recipient: String) -> String {
        let digest = SHA256.hash(data: Data("\(eventKey)|\(channel.rawValue)|\(recipient)".utf8))
        return digest.hexString + "@flexwork"
    }
}
