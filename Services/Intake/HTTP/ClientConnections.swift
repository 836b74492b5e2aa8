import Synchronization

/// How many connections each client address holds open, against a bound
/// (`FWA_MAX_CONNECTIONS_PER_CLIENT`; 0 for none). Shared by every connection's
/// `ConnectionGuard`.
final class ClientConnections: Sendable {
    let maxPerClient: Int
    private let open = Mutex<[String: Int]>([:])

    init(maxPerClient: Int) {
        self.maxPerClient = maxPerClient
    }

    /// Counts a new connection from `address`; false (and not counted) when the address is at
    /// its bound.
    func admit(_ address: String) -> Bool {
        open.withLock { open in
            let current = open[address, default: 0]
            guard maxPerClient == 0 || current < maxPerClient else { return false }
            open[address] = current + 1
            return true
        }
    }

    /// Uncounts a connection `admit` counted.
    func release(_ address: String) {
        open.withLock { open in
            let remaining = open[address, default: 1] - 1
            open[address] = remaining > 0 ? remaining : nil
        }
    }

    /// Connections open from `address` now.
    func count(_ address: String) -> Int { open.withLock { $0[address, default: 0] } }
}
