import Foundation
import Storage
import Testing

/// Signed chain heads: only the key that signed an anchor verifies it, and any change to its
/// fields breaks the signature.
@Suite("Audit anchors: signatures and keys")
struct AuditAnchorTests {
    static let head = AuditHead(tenantID: "mit", seq: 42, hash: String(repeating: "ab", count: 32))

    @Test("an anchor verifies with its key's public half, not with another key, and not after any field changed")
    func signatures() throws {
        let pair = AuditAnchorKey.generate()
        let other = AuditAnchorKey.generate()
        let anchor = try AuditAnchor.sign(Self.head, with: try AuditAnchorKey.privateKey(from: pair.privatePEM))
        let key = try AuditAnchorKey.publicKey(from: pair.publicPEM)
        #expect(anchor.isSigned(by: key))
        #expect(!anchor.isSigned(by: try AuditAnchorKey.publicKey(from: other.publicPEM)))
        var changed = [anchor, anchor, anchor, anchor]
        changed[0].tenantID = "mines"
        changed[1].seq = 41
        changed[2].hash = String(repeating: "cd", count: 32)
        changed[3].anchoredAt = "2001-01-01T00:00:00Z"
        for forged in changed { #expect(!forged.isSigned(by: key), "\(forged)") }
        let decoded = try JSONDecoder().decode(AuditAnchor.self, from: JSONEncoder().encode(anchor))
        #expect(decoded == anchor && decoded.isSigned(by: key))
        #expect(anchor.fileName == "000000000042.json")
    }

    @Test("keys are read from PEM (as openssl writes them) or raw base64; anything else is refused")
    func keys() throws {
        let pair = AuditAnchorKey.generate()
        #expect(pair.privatePEM.hasPrefix("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI"))
        #expect(pair.publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA"))
        // The same private key as 32 raw bytes in base64 (the PKCS#8 document's last 32 bytes).
        let der = try #require(Data(base64Encoded: pair.privatePEM.split(separator: "\n")[1].description))
        let raw = try AuditAnchorKey.privateKey(from: der.suffix(32).base64EncodedString())
        let anchor = try AuditAnchor.sign(Self.head, with: raw)
        #expect(anchor.isSigned(by: try AuditAnchorKey.publicKey(from: pair.publicPEM)))
        for bad in ["", "not a key", Data(count: 31).base64EncodedString(), pair.publicPEM] {
            #expect(throws: AuditAnchorError.self) { try AuditAnchorKey.privateKey(from: bad) }
        }
        #expect(throws: AuditAnchorError.self) { try AuditAnchorKey.publicKey(from: pair.privatePEM) }
    }
}
