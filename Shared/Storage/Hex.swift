/// Lowercase hexadecimal of bytes (digests, random secrets), two digits a byte. Written out
/// directly: `String(format: "%02x")` per byte went through Foundation's formatter and was a
/// tenth of the intake's CPU per submit (three SHA-256 digests each).
extension Sequence where Element == UInt8 {
    public var hexString: String {
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)
