import Foundation
import Storage
import Testing

@testable import Notifier

@Suite("Signatures: webhooks and action links")
struct SignatureTests {
    let secret = "whsec-test-0123456789abcdef0123456789abcdef"
    let body = Data(#"{"event_key":"e1","kind":"alert"}"#.utf8)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a fresh, correct signature verifies; altered body, timestamp or secret do not")
    func webhookSignature() throws {
        let signature = WebhookSignature.sign(secret: secret, timestamp: 1_800_000_000, body: body)
        #expect(signature.hasPrefix("sha256=") && signature.count == 7 + 64)
        try WebhookSignature.verify(secret: secret, timestamp: "1800000000", body: body, signature: signature, now: now)
        #expect(throws: WebhookSignature.Failure.mismatch) {
            try WebhookSignature.verify(
                secret: secret, timestamp: "1800000000", body: Data("{}".utf8), signature: signature, now: now)
        }
        #expect(throws: WebhookSignature.Failure.mismatch) {
            try WebhookSignature.verify(
                secret: secret, timestamp: "1800000001", body: body, signature: signature, now: now)
        }
        #expect(throws: WebhookSignature.Failure.mismatch) {
            try WebhookSignature.verify(
                secret: secret + "x", timestamp: "1800000000", body: body, signature: signature, now: now)
        }
        #expect(throws: WebhookSignature.Failure.malformedSignature) {
            try WebhookSignature.verify(
                secret: secret, timestamp: "1800000000", body: body, signature: "sha1=abc", now: now)
        }
        #expect(throws: WebhookSignature.Failure.malformedTimestamp) {
            try WebhookSignature.verify(secret: secret, timestamp: "-1", body: body, signature: signature, now: now)
        }
    }

    @Test("a replay (a correct signature older than five minutes) is refused")
    func replay() throws {
        let signature = WebhookSignature.sign(secret: secret, timestamp: 1_800_000_000, body: body)
        try WebhookSignature.verify(
            secret: secret, timestamp: "1800000000", body: body, signature: signature, now: now + 299)
        #expect(throws: WebhookSignature.Failure.staleTimestamp) {
            try WebhookSignature.verify(
                secret: secret, timestamp: "1800000000", body: body, signature: signature, now: now + 301)
        }
        #expect(throws: WebhookSignature.Failure.staleTimestamp) {
            try WebhookSignature.verify(
                secret: secret, timestamp: "1800000000", body: body, signature: signature, now: now - 301)
        }
    }

    @Test("an action link token round-trips; tampered, re-signed or malformed tokens are refused")
    func actionLink() throws {
        let id = UUID()
        let token = ActionLink.token(id: id, secret: "link-secret")
        let parts = token.split(separator: ".")
        #expect(parts.count == 2 && parts[0] == id.uuidString.lowercased())
        #expect(parts[1].count == 43 && !token.contains("=") && !token.contains("+") && !token.contains("/"))
        #expect(ActionLink.verify(token, secret: "link-secret") == id)
        #expect(ActionLink.verify(token, secret: "other-secret") == nil)
        var mac = Array(parts[1])
        mac[5] = mac[5] == "A" ? "B" : "A"
        #expect(ActionLink.verify(String(parts[0]) + "." + String(mac), secret: "link-secret") == nil)
        let otherID = UUID().uuidString.lowercased()
        #expect(ActionLink.verify(otherID + "." + parts[1], secret: "link-secret") == nil)
        #expect(ActionLink.verify(token.uppercased(), secret: "link-secret") == nil)
        #expect(ActionLink.verify(token + "=", secret: "link-secret") == nil)
        #expect(ActionLink.verify(String(parts[0]), secret: "link-secret") == nil)
        #expect(ActionLink.verify("", secret: "link-secret") == nil)
    }
}
