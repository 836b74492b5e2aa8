/// Byte-level helpers for ASCII text, where they agree with Character's `lowercased()`,
/// `isLetter` and `isNumber`.
enum ASCIIText {
    /// Whether every byte of `text` is ASCII (the byte-level paths apply).
    static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    /// A lowercase letter or a digit (of a byte already lowercased).
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
