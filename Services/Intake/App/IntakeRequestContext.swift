import Hummingbird
import NIOCore

/// The intake's request context: Hummingbird's basic one plus the client's address, which the
/// per-client rate limit keys on.
struct IntakeRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer of the connection (a proxy's address when there is one in front).
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
