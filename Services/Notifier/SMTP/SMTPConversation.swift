import Foundation
import NIOCore
import NIOSSL

/// The commands of one SMTP transaction, in order, each checked against the reply it expects.
struct SMTPConversation: Sendable {
    let configuration: SMTPConfiguration
    let heloName: String
    let tlsContext: NIOSSLContext?
    let serverName: String?

    /// The greeting, `EHLO`, `STARTTLS` when configured (and `EHLO` again), `AUTH` when configured.
    func open(_ session: inout Session, channel: any Channel) async throws {
        try session.expect(await session.next(), command: "greeting", 220)
        var features = try await session.command("EHLO \(heloName)", expect: 250)
        if configuration.security == .startTLS {
            guard features.extensions.contains(where: { $0 == "STARTTLS" || $0.hasPrefix("STARTTLS ") }) else {
                throw SMTPError.tls("the server does not offer STARTTLS")
            }
            try await session.command("STARTTLS", expect: 220)
            try await startTLS(on: channel)
            features = try await session.command("EHLO \(heloName)", expect: 250)
        }
        if let credentials = configuration.credentials {
            try await authenticate(credentials, features: features, session: &session)
        }
    }

    /// One mail transaction on a greeted session: `MAIL FROM`, `RCPT TO`, `DATA`; once the server
    /// answered 250 to the end of DATA, `whenAccepted` runs at once. On a `reused` session, a
    /// connection that fails before the server answers `MAIL FROM` (closed while idle, or `421`)
    /// throws `SMTPSession.Stale`: nothing reached the server, and the caller may send elsewhere.
    func transaction(
        _ envelope: SMTPEnvelope, reused: Bool, session: inout Session, whenAccepted: @Sendable () async throws -> Void
    ) async throws {
        do {
            try await session.command("MAIL FROM:<\(envelope.from)>", name: "MAIL FROM", expect: 250)
        } catch let error as SMTPError where reused && error.isStaleConnection {
            throw SMTPSession.Stale(underlying: error)
        } catch  where reused && !(error is SMTPError) {
            throw SMTPSession.Stale(underlying: error)
        }
        for recipient in envelope.recipients {
            try await session.command("RCPT TO:<\(recipient)>", name: "RCPT TO", expect: 250, 251)
        }
        try await session.command("DATA", expect: 354)
        try await session.send(envelope.dataSection)
        try session.expect(await session.next(), command: "end of DATA", 250)
        do {
            try await whenAccepted()
        } catch {
            throw SMTPClient.AcceptedMessageError(underlying: error)
        }
    }

    private func startTLS(on channel: any Channel) async throws {
        guard let tlsContext else { throw SMTPError.tls("no TLS context") }
        let serverName = self.serverName
        let handshake = try await channel.eventLoop.submit {
            try TLSHandshakeObserver.addTLS(to: channel, context: tlsContext, serverName: serverName)
        }.get()
        try await handshake.get()
    }

    private func authenticate(_ credentials: SMTPConfiguration.Credentials, features: SMTPReply, session: inout Session)
        async throws
    {
        let mechanisms = features.extensions
            .filter { $0.hasPrefix("AUTH ") || $0.hasPrefix("AUTH=") }
            .flatMap { $0.dropFirst(5).split(separator: " ").map(String.init) }
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if mechanisms.contains("PLAIN") || mechanisms.isEmpty {
            let token = base64("\u{0}\(credentials.user)\u{0}\(credentials.password)")
            try await session.command("AUTH PLAIN \(token)", name: "AUTH PLAIN", expect: 235)
        } else if mechanisms.contains("LOGIN") {
            try await session.command("AUTH LOGIN", expect: 334)
            try await session.command(base64(credentials.user), name: "AUTH LOGIN user", expect: 334)
            try await session.command(base64(credentials.password), name: "AUTH LOGIN password", expect: 235)
        } else {
            throw SMTPError.reply(
                command: "EHLO", code: 504,
                text: "no supported AUTH mechanism (offered: \(mechanisms.joined(separator: " ")))")
        }
    }

    /// The reply stream and the writer of one connection.
    struct Session {
        var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

        mutating func next() async throws -> SMTPReply? { try await replies.next() }

        func send(_ text: String) async throws { try await outbound.write(ByteBuffer(string: text)) }

        /// Sends one command line; `name` is what errors show instead of the line (AUTH carries secrets).
        @discardableResult
        mutating func command(_ line: String, name: String? = nil, expect codes: Int...) async throws -> SMTPReply {
            try await send(line + "\r\n")
            return try expect(await next(), command: name ?? line, codes)
        }

        @discardableResult
        func expect(_ reply: SMTPReply?, command: String, _ codes: Int...) throws -> SMTPReply {
            try expect(reply, command: command, codes)
        }

        @discardableResult
        func expect(_ reply: SMTPReply?, command: String, _ codes: [Int]) throws -> SMTPReply {
            guard let reply else { throw SMTPError.connection("the server closed the connection after \(command)") }
            guard codes.contains(reply.code) else {
                throw SMTPError.reply(command: command, code: reply.code, text: reply.text)
            }
            return reply
        }
    }
}
