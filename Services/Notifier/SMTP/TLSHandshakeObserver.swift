import NIOCore
import NIOSSL
import NIOTLS

/// Sits right after a `NIOSSLClientHandler` and completes its promise when the handshake is
/// done, or fails it with the first error (a refused certificate) or when the connection closes.
/// Waiting on it keeps a TLS failure from surfacing as a confusing "I/O on closed channel" from
/// the next write.
final class TLSHandshakeObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let promise: EventLoopPromise<Void>
    private var done = false
    private var firstError: (any Error)?

    init(promise: EventLoopPromise<Void>) { self.promise = promise }

    /// Adds the TLS client handler first in the pipeline with an observer after it; returns the
    /// handshake's future. Call on the channel's event loop.
    static func addTLS(to channel: any Channel, context: NIOSSLContext, serverName: String?) throws -> EventLoopFuture<
        Void
    > {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        let tls = try NIOSSLClientHandler(context: context, serverHostname: serverName)
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(tls, position: .first)
        try operations.addHandler(TLSHandshakeObserver(promise: promise), position: .after(tls))
        return promise.futureResult
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event { finish(nil) }
        context.fireUserInboundEventTriggered(event)
    }

    /// A TLS error ends the handshake at once; any other error before it completes (a write to a
    /// connection the handshake failure is closing) is kept for when the connection closes.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOSSLError || error is BoringSSLError {
            finish(SMTPError.tls(String(describing: error)))
        } else if firstError == nil {
            firstError = error
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let cause = firstError.map { ": \($0)" } ?? ""
        finish(SMTPError.tls("the connection closed during the TLS handshake\(cause)"))
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish(SMTPError.tls("the TLS handler was removed"))
    }

    private func finish(_ error: SMTPError?) {
        guard !done else { return }
        done = true
        if let error { promise.fail(error) } else { promise.succeed(()) }
    }
}
