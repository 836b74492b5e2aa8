import NIOCore

/// Splits the server's byte stream into replies: lines of `ddd-text` continue a reply, a line of
/// `ddd text` (or just `ddd`) ends it.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// Longer lines or replies are a protocol violation, not something to buffer forever.
    static let maximumLineLength = 4096
    static let maximumLines = 200

    private var pending: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineLength {
                throw SMTPError.protocolViolation("reply line too long")
            }
            return .needMoreData
        }
        let bytes = buffer.readBytes(length: newline - buffer.readerIndex + 1) ?? []
        var line = String(decoding: bytes, as: UTF8.self)
        while line.last == "\n" || line.last == "\r" || line.last == "\r\n" { line.removeLast() }
        let (code, isLast, text) = try Self.parse(line)
        pending.append(text)
        guard pending.count <= Self.maximumLines else { throw SMTPError.protocolViolation("reply has too many lines") }
        if isLast {
            context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pending)))
            pending = []
        }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// `250-SIZE 1000` → (250, false, "SIZE 1000").
    static func parse(_ line: String) throws -> (code: Int, isLast: Bool, text: String) {
        let characters = Array(line)
        guard characters.count >= 3, let code = Int(String(characters[0..<3])), (200..<600).contains(code) else {
            throw SMTPError.protocolViolation("not an SMTP reply line")
        }
        guard characters.count > 3 else { return (code, true, "") }
        switch characters[3] {
        case "-": return (code, false, String(characters[4...]))
        case " ": return (code, true, String(characters[4...]))
        default: throw SMTPError.protocolViolation("not an SMTP reply line")
        }
    }
}
