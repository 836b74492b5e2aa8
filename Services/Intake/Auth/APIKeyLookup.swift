import Postgres
import Synchronization

/// Finds API keys by secret with one statement per lookup, and remembers the hashes of recent
/// secrets that match no usable key (unknown or revoked, both for good: secrets are random and
/// revocation is final) so that a client repeating a bad key does not reach the database again.
/// The memory is bounded: the oldest of `capacity` hashes is forgotten first.
final class APIKeyLookup: Sendable {
    let pool: PostgresPool
    let capacity: Int
    private let refused = Mutex(RecentHashes())

    init(pool: PostgresPool, capacity: Int = 4096) {
        self.pool = pool
        self.capacity = capacity
    }

    /// The usable (unrevoked) key whose secret is `secret`, else nil.
    func find(secret: String) async throws -> APIKeyRecord? {
        guard secret.hasPrefix(APIKeySecret.prefix), secret.utf8.count < 200 else { return nil }
        let hash = APIKeySecret.hash(secret)
        if refused.withLock({ $0.contains(hash) }) { return nil }
        let key = try await APIKeyRecord.find(hash: hash, pool: pool)
        guard let key, key.revokedAt == nil else {
            let capacity = self.capacity
            refused.withLock { $0.insert(hash, capacity: capacity) }
            return nil
        }
        return key
    }
}

/// A set of hashes that forgets its oldest member past a capacity.
struct RecentHashes: Sendable {
    private var members: Set<String> = []
    private var order: [String] = []
    private var start = 0

    func contains(_ hash: String) -> Bool { members.contains(hash) }

    mutating func insert(_ hash: String, capacity: Int) {
        guard members.insert(hash).inserted else { return }
        order.append(hash)
        while members.count > capacity {
            members.remove(order[start])
            start += 1
        }
        if start > capacity {  // compact now and then, so `order` stays bounded too
            order.removeFirst(start)
            start = 0
        }
    }
}
