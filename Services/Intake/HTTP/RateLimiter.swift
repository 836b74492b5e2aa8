import Postgres
import Synchronization

/// Token buckets in this process's memory, one per key (a client address, an API key id): each
/// holds up to `burst` tokens, refills at `perSecond`, and a request takes one. The map is
/// bounded: past `maxKeys`, buckets that have refilled to full (clients gone quiet) are dropped,
/// and if none has, the least recently used one is, so a flood of distinct keys costs bounded
/// memory. A limiter with a rate of 0 allows everything.
final class RateLimiter: Sendable {
    /// Requests per second and the burst allowed above it; `perSecond == 0` turns limiting off.
    struct Rate: Sendable, Equatable {
        var perSecond: Int
        var burst: Int

        static let off = Rate(perSecond: 0, burst: 0)
        var isOff: Bool { perSecond == 0 }
    }

    enum Verdict: Sendable, Equatable {
        case allowed
        /// Refused; a token is due in `retryAfter` whole seconds (at least 1).
        case limited(retryAfter: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let rate: Rate
    let maxKeys: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(rate: Rate, maxKeys: Int = 10_000) {
        self.rate = rate
        self.maxKeys = maxKeys
    }

    /// Takes a token from `key`'s bucket if it has one.
    func take(_ key: String, now: ContinuousClock.Instant = .now) -> Verdict {
        guard !rate.isOff else { return .allowed }
        let perSecond = Double(rate.perSecond)
        let burst = Double(max(rate.burst, 1))
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + perSecond * (now - bucket.updated).inSeconds)
            bucket.updated = now
            let decision: Verdict
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = .allowed
            } else {
                decision = .limited(retryAfter: max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up))))
            }
            if buckets[key] == nil, buckets.count >= maxKeys {
                Self.evict(&buckets, now: now, perSecond: perSecond, burst: burst)
            }
            buckets[key] = bucket
            return decision
        }
    }

    /// How many keys are tracked (tests, metrics).
    var trackedKeys: Int { buckets.withLock { $0.count } }

    private static func evict(
        _ buckets: inout [String: Bucket], now: ContinuousClock.Instant, perSecond: Double, burst: Double
    ) {
        let full = buckets.filter { $0.value.tokens + perSecond * (now - $0.value.updated).inSeconds >= burst }.map(
            \.key)
        if full.isEmpty {
            if let oldest = buckets.min(by: { $0.value.updated < $1.value.updated })?.key { buckets[oldest] = nil }
        } else {
            full.forEach { buckets[$0] = nil }
        }
    }
}
