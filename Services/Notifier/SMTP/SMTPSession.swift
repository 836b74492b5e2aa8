import NIOCore
import NIOSSL
import Synchronization

/// One open SMTP connection, past its greeting, `EHLO`, `STARTTLS` and `AUTH`, that carries one
/// message at a time until it is closed. A task of its own owns the connection and speaks for
/// each message it is handed; the first error closes the connection.
final class SMTPSession: Sendable {
    /// The session closed, or the server dropped the connection while it sat idle, before the
    /// server answered `MAIL FROM`: nothing of the message reached the server.
    struct Stale: Error {
        var underlying: (any Error)?
    }

    private struct Request: Sendable {
        let envelope: SMTPEnvelope
        let reused: Bool
        let whenAccepted: @Sendable () async throws -> Void
        let done: CheckedContinuation<Void, any Error>
    }

    private let requests: AsyncStream<Request>.Continuation
    private let channel: any Channel
    private let state: Mutex<(messages: Int, idleSince: ContinuousClock.Instant)>

    private init(requests: AsyncStream<Request>.Continuation, channel: any Channel) {
        self.requests = requests
        self.channel = channel
        self.state = Mutex((0, .now))
    }

    /// Connects and greets the server (within `client.timeout`); throws what the conversation
    /// threw (`SMTPError`, NIO's and NIOSSL's errors).
    static func open(_ client: SMTPClient) async throws -> SMTPSession {
        let context = try client.configuration.security == .none ? nil : NIOSSLContext(configuration: client.tls)
        let (channel, handshake) = try await TimeLimit.run(client.timeout, onTimeout: {}) {
            try await client.connect(tls: context)
        }
        let conversation = SMTPConversation(
            configuration: client.configuration, heloName: client.heloName, tlsContext: context,
            serverName: client.serverName)
        let (stream, continuation) = AsyncStream.makeStream(of: Request.self)
        let session = SMTPSession(requests: continuation, channel: channel.channel)
        try await TimeLimit.run(client.timeout, onTimeout: { channel.channel.close(promise: nil) }) {
            try await withCheckedThrowingContinuation { (greeted: CheckedContinuation<Void, any Error>) in
                Task {
                    await serve(
                        channel, handshake: handshake, conversation: conversation, requests: stream,
                        closing: continuation, greeted: greeted)
                }
            }
        }
        return session
    }

    /// The connection's task: greets, then speaks for each request until an error or `close()`.
    private static func serve(
        _ channel: NIOAsyncChannel<SMTPReply, ByteBuffer>, handshake: EventLoopFuture<Void>?,
        conversation: SMTPConversation,
        requests: AsyncStream<Request>, closing: AsyncStream<Request>.Continuation,
        greeted: CheckedContinuation<Void, any Error>
    ) async {
        var greeting: CheckedContinuation<Void, any Error>? = greeted
        do {
            try await channel.executeThenClose { inbound, outbound in
                var session = SMTPConversation.Session(replies: inbound.makeAsyncIterator(), outbound: outbound)
                try await handshake?.get()
                try await conversation.open(&session, channel: channel.channel)
                greeting.take()?.resume()
                for await request in requests {
                    do {
                        try await conversation.transaction(
                            request.envelope, reused: request.reused, session: &session,
                            whenAccepted: request.whenAccepted)
                        request.done.resume()
                    } catch {
                        closing.finish()
                        request.done.resume(throwing: error)
                        throw error
                    }
                }
                _ = try? await session.command("QUIT", expect: 221)
            }
        } catch {
            greeting.take()?.resume(throwing: error)
        }
        closing.finish()
        // A request handed over while the connection was ending.
        for await request in requests { request.done.resume(throwing: Stale(underlying: nil)) }
    }

    /// Sends one message on this session within `timeout` (the connection is closed when it
    /// passes). Throws `Stale` when the session could not carry it; otherwise what the
    /// conversation threw, after which the session is closed.
    func send(_ envelope: SMTPEnvelope, timeout: Duration, whenAccepted: @escaping @Sendable () async throws -> Void)
        async throws
    {
        let reused = state.withLock { $0.messages > 0 }
        let channel = self.channel
        try await TimeLimit.run(timeout, onTimeout: { channel.close(promise: nil) }) {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                let request = Request(envelope: envelope, reused: reused, whenAccepted: whenAccepted, done: done)
                if case .terminated = self.requests.yield(request) { done.resume(throwing: Stale(underlying: nil)) }
            }
        }
        state.withLock { $0 = ($0.messages + 1, .now) }
    }

    /// Messages carried so far, and since when the session has been idle.
    var usage: (messages: Int, idleSince: ContinuousClock.Instant) { state.withLock { $0 } }

    /// False once the connection has closed.
    var isOpen: Bool { channel.isActive }

    /// Ends the session: `QUIT`, then the connection closes.
    func close() { requests.finish() }
}

/// Open sessions waiting for the next message, so that consecutive messages skip the connection,
/// the greeting, `EHLO`, TLS and `AUTH`. A session goes back only after its message was accepted;
/// it is closed once idle longer than `idleLimit` or after `messageLimit` messages (relays cap
/// messages per connection and drop idle ones).
final class SMTPSessionPool: Sendable {
    let idleLimit: Duration
    let messageLimit: Int
    let capacity: Int
    private let state = Mutex<(idle: [SMTPSession], sweeping: Bool, opened: Int, closed: Bool)>(([], false, 0, false))

    init(idleLimit: Duration, messageLimit: Int = 100, capacity: Int) {
        self.idleLimit = idleLimit
        self.messageLimit = messageLimit
        self.capacity = capacity
    }

    /// Sessions opened so far (for tests and the log).
    var opened: Int { state.withLock { $0.opened } }

    /// The most recently used open session, or nil.
    func take() -> SMTPSession? {
        let (session, expired) = state.withLock { state -> (SMTPSession?, [SMTPSession]) in
            let expired = removeExpired(&state.idle)
            return (state.idle.popLast(), expired)
        }
        expired.forEach { $0.close() }
        return session
    }

    /// Counts a session just opened.
    func didOpen() { state.withLock { $0.opened += 1 } }

    /// Takes a session back after an accepted message, or closes it.
    func give(_ session: SMTPSession) {
        let keep = session.isOpen && session.usage.messages < messageLimit
        let (kept, startSweeper) = state.withLock { state -> (Bool, Bool) in
            guard keep, !state.closed, state.idle.count < capacity else { return (false, false) }
            state.idle.append(session)
            defer { state.sweeping = true }
            return (true, !state.sweeping)
        }
        if !kept { session.close() }
        if startSweeper { sweep() }
    }

    /// Closes every idle session, and each session in use once its message is done.
    func shutdown() {
        let idle = state.withLock { state in
            defer {
                state.idle = []
                state.closed = true
            }
            return state.idle
        }
        idle.forEach { $0.close() }
    }

    /// Closes sessions idle past the limit, every second while any are idle.
    private func sweep() {
        Task { [weak self] in
            while true {
                try? await Task.sleep(for: .seconds(1))
                guard let self else { return }
                let (expired, done) = self.state.withLock { state -> ([SMTPSession], Bool) in
                    let expired = self.removeExpired(&state.idle)
                    if state.idle.isEmpty { state.sweeping = false }
                    return (expired, state.idle.isEmpty)
                }
                expired.forEach { $0.close() }
                if done { return }
            }
        }
    }

    private func removeExpired(_ idle: inout [SMTPSession]) -> [SMTPSession] {
        let now = ContinuousClock.now
        let expired = idle.filter { !$0.isOpen || now - $0.usage.idleSince > idleLimit }
        idle.removeAll { session in expired.contains { $0 === session } }
        return expired
    }
}
