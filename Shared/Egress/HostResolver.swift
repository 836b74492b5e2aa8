import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves a host name with the system resolver (`getaddrinfo`), on a thread of NIO's blocking
/// pool rather than the Swift concurrency pool.
enum HostResolver {
    /// Every address `host` resolves to, or the resolver's error message.
    static func addresses(of host: String) async -> Result<[InternetAddress], ResolutionFailure> {
        do {
            return try await NIOThreadPool.singleton.runIfActive { lookUp(host) }
        } catch {
            return .failure(ResolutionFailure(message: "the resolver is not running"))
        }
    }

    /// Why a name did not resolve.
    struct ResolutionFailure: Error, Sendable {
        var message: String
    }

    private static func lookUp(_ host: String) -> Result<[InternetAddress], ResolutionFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else { return .failure(ResolutionFailure(message: String(cString: gai_strerror(status)))) }
        defer { freeaddrinfo(list) }
        var found: [InternetAddress] = []
        var entry = list
        while let current = entry {
            if let socketAddress = current.pointee.ai_addr, let address = InternetAddress(UnsafePointer(socketAddress)),
                !found.contains(address)
            {
                found.append(address)
            }
            entry = current.pointee.ai_next
        }
        return found.isEmpty ? .failure(ResolutionFailure(message: "no address")) : .success(found)
    }
}
