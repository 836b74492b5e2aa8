import NIOCore
import NIOPosix
import NIOSSL

/// A small SMTP client on SwiftNIO: `EHLO`, `STARTTLS` when asked, `AUTH PLAIN` (or `LOGIN`)
/// when configured, `MAIL FROM`, `RCPT TO`, `DATA`, each message within one time limit. With
/// `sessions`, connections stay open between messages (see `SMTPSessionPool`); without, one
/// connection per message, ended with `QUIT`.
struct SMTPClient: Sendable {
    var configuration: SMTPConfiguration
    /// The name this client gives in `EHLO`.
    var heloName: String
    /// The longest one message may take, connecting included.
    var timeout: Duration
    /// How TLS (implicit or STARTTLS) verifies the server; the system's trust roots by default.
    var tls: TLSConfiguration = .makeClientConfiguration()
    var eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    /// Open connections kept for the next message; nil: one connection per message.
    var sessions: SMTPSessionPool?

    init(configuration: SMTPConfiguration, heloName: String, timeout: Duration, sessions: SMTPSessionPool? = nil) {
        self.configuration = configuration
        self.heloName = heloName
        self.timeout = timeout
        self.sessions = sessions
    }

    /// The server accepted the message, and the caller's `whenAccepted` failed.
    struct AcceptedMessageError: Error, CustomStringConvertible {
        var underlying: any Error
        var description: String { "the message was accepted, then: \(underlying)" }
    }

    /// Hands one message to the server; throws `SMTPError` when it was not accepted. Once the
    /// server answered 250 to the end of DATA, `whenAccepted` runs at once, before anything else
    /// is said on the connection (its error comes back as `AcceptedMessageError`).
    func send(_ envelope: SMTPEnvelope, whenAccepted: @escaping @Sendable () async throws -> Void = {}) async throws {
        guard EmailAddress.isValid(envelope.from), !envelope.recipients.isEmpty,
            envelope.recipients.allSatisfy(EmailAddress.isValid)
        else { throw SMTPError.rejectedLocally("an envelope address is not a plain email address") }
        do {
            if let session = sessions?.take() {
                do {
                    try await session.send(envelope, timeout: timeout, whenAccepted: whenAccepted)
                    sessions?.give(session)
                    return
                } catch is SMTPSession.Stale {
                    // Dropped while idle; nothing reached the server: a new connection.
                }
            }
            let session = try await SMTPSession.open(self)
            sessions?.didOpen()
            do {
                try await session.send(envelope, timeout: timeout, whenAccepted: whenAccepted)
            } catch let stale as SMTPSession.Stale {
                throw stale.underlying ?? SMTPError.connection("the connection closed before MAIL FROM")
            }
            // Kept for the next message, or ended with `QUIT` (no pool, or the pool is full).
            if let sessions { sessions.give(session) } else { session.close() }
        } catch let error as AcceptedMessageError {
            throw error
        } catch {
            throw Self.smtpError(error)
        }
    }

    /// The name to send in TLS SNI and to verify the certificate against; nil for IP addresses.
    var serverName: String? {
        (try? SocketAddress(ipAddress: configuration.host, port: 0)) == nil ? configuration.host : nil
    }

    /// Connects; with implicit TLS, also returns the handshake to wait for.
    func connect(tls context: NIOSSLContext?) async throws -> (
        NIOAsyncChannel<SMTPReply, ByteBuffer>, EventLoopFuture<Void>?
    ) {
        let implicit = configuration.security == .implicitTLS ? context : nil
        let serverName = self.serverName
        let initializer:
            @Sendable (any Channel) -> EventLoopFuture<(NIOAsyncChannel<SMTPReply, ByteBuffer>, EventLoopFuture<Void>?)> =
                { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handshake = try implicit.map {
                            try TLSHandshakeObserver.addTLS(to: channel, context: $0, serverName: serverName)
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        return (
                            try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel), handshake
                        )
                    }
                }
        let bootstrap = ClientBootstrap(group: eventLoopGroup).connectTimeout(.seconds(10))
        do {
            // An address needs no resolver (host names go through NIO's, off the event loop).
            if let address = try? SocketAddress(ipAddress: configuration.host, port: configuration.port) {
                return try await bootstrap.connect(to: address, channelInitializer: initializer)
            }
            return try await bootstrap.connect(
                host: configuration.host, port: configuration.port, channelInitializer: initializer)
        } catch {
            throw SMTPError.connection(String(describing: error).prefix(300).description)
        }
    }

    /// Maps what NIO and NIOSSL throw to `SMTPError`.
    static func smtpError(_ error: any Error) -> SMTPError {
        switch error {
        case let error as SMTPError: error
        case let error as NIOSSLError: .tls(String(describing: error))
        case let error as BoringSSLError: .tls(String(describing: error))
        case is CancellationError: .timeout
        default: .connection(String(describing: error).prefix(300).description)
        }
    }
}
