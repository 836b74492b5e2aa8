import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// One per HTTP connection, just after the HTTP codec. It closes a connection from a client
/// address that already holds its bound of connections (`ClientConnections`) before it is
/// served. And it closes a connection whose response was finished while its request's body was
/// still arriving (answered from the headers: `401`, `404`, `413`, `429`, or `408` when the
/// body read deadline passed) unless the rest of the body arrives within `drainGrace`, so that a
/// refused upload, stalled or trickling, cannot keep the connection by never ending its body.
/// A client that had sent its whole body keeps its connection.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// How long the rest of a refused request's body may take before the connection is closed.
    static let drainGrace = TimeAmount.seconds(1)

    let connections: ClientConnections
    private var admitted: String?
    private var checked = false
    private var bodyArriving = false
    private var pendingClose: Scheduled<Void>?

    init(connections: ClientConnections) {
        self.connections = connections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        releaseSlot()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        pendingClose?.cancel()
        releaseSlot()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: bodyArriving = true
        case .body: break
        case .end:
            bodyArriving = false
            pendingClose?.cancel()
            pendingClose = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), bodyArriving, pendingClose == nil {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            pendingClose = context.eventLoop.scheduleTask(in: Self.drainGrace) { loopBound.value.close(promise: nil) }
        }
        context.write(data, promise: promise)
    }

    private func admit(_ context: ChannelHandlerContext) {
        guard !checked else { return }
        checked = true
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        if connections.admit(address) {
            admitted = address
        } else {
            context.close(promise: nil)
        }
    }

    private func releaseSlot() {
        if let address = admitted { connections.release(address) }
        admitted = nil
    }
}
