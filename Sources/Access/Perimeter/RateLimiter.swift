import Foundation

/// Token buckets by key (a credential, a source address): each key may make `burst` requests at once and
/// `ratePerSecond` on average; beyond that, requests are refused with the seconds until the next one may go. Kept in
/// memory, per process.
public final class RateLimiter: @unchecked Sendable {
    private struct Bucket {
        var tokens: Double
        var updatedAt: Int64
    }

    private let ratePerMillisecond: Double
    private let burst: Double
    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]

    /// `ratePerSecond` ≤ 0 turns the limiter off (every request passes).
    public init(ratePerSecond: Int, burst: Int) {
        ratePerMillisecond = Double(ratePerSecond) / 1000
        self.burst = Double(max(burst, 1))
    }

    public var isOff: Bool { ratePerMillisecond <= 0 }

    /// Takes one request's token for `key` at `now` (unix ms): nil when it may go, else whole seconds to wait (≥ 1).
    public func take(_ key: String, now: Int64) -> Int? {
        guard !isOff else { return nil }
        lock.lock()
        defer { lock.unlock() }
        var bucket = buckets[key] ?? Bucket(tokens: burst, updatedAt: now)
        let elapsed = Double(max(0, now - bucket.updatedAt))
        bucket.tokens = min(burst, bucket.tokens + elapsed * ratePerMillisecond)
        bucket.updatedAt = max(bucket.updatedAt, now)
        guard bucket.tokens >= 1 else {
            buckets[key] = bucket
            return max(1, Int(((1 - bucket.tokens) / ratePerMillisecond / 1000).rounded(.up)))
        }
        bucket.tokens -= 1
        buckets[key] = bucket
        if buckets.count > 100_000 { forgetIdle(now: now) }
        return nil
    }

    /// Drops the buckets that have refilled completely: they behave exactly like new ones.
    private func forgetIdle(now: Int64) {
        let refill = Int64(burst / ratePerMillisecond)
        buckets = buckets.filter { now - $0.value.updatedAt < refill }
    }
}
