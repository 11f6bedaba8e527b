import Foundation

/// Counts failed sign-ins per email and per source address within a sliding window and refuses further attempts
/// (429 with the seconds until the oldest failure leaves the window) once either count reaches its limit — a
/// password-guessing brake that needs no database write. A successful sign-in clears the email's count. Kept in
/// memory: per process, reset by a restart.
public final class LoginThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var failuresByAccount: [String: [Int64]] = [:]
    private var failuresByAddress: [String: [Int64]] = [:]
    private let perAccount: Int
    private let perAddress: Int
    private let window: Int64

    public init(settings: AccessSettings) {
        perAccount = settings.loginFailuresPerAccount
        perAddress = settings.loginFailuresPerAddress
        window = Int64(settings.loginWindowMilliseconds)
    }

    /// Seconds to wait before trying again, or nil when an attempt may go ahead.
    public func retryAfter(email: String, address: String?, now: Int64) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        var wait: Int64 = 0
        if let oldest = blocking(&failuresByAccount, email, limit: perAccount, now: now) { wait = oldest }
        if let address, let oldest = blocking(&failuresByAddress, address, limit: perAddress, now: now) {
            wait = max(wait, oldest)
        }
        return wait > 0 ? Int((wait + 999) / 1000) : nil
    }

    public func failed(email: String, address: String?, now: Int64) {
        lock.lock()
        defer { lock.unlock() }
        failuresByAccount[email, default: []].append(now)
        if let address { failuresByAddress[address, default: []].append(now) }
        if failuresByAccount.count + failuresByAddress.count > 100_000 { prune(now: now) }
    }

    public func succeeded(email: String) {
        lock.lock()
        failuresByAccount[email] = nil
        lock.unlock()
    }

    /// Milliseconds until `key` may try again, or nil when it may now.
    private func blocking(_ table: inout [String: [Int64]], _ key: String, limit: Int, now: Int64) -> Int64? {
        guard var times = table[key] else { return nil }
        times.removeAll { $0 <= now - window }
        table[key] = times.isEmpty ? nil : times
        guard times.count >= limit, let oldest = times.first else { return nil }
        return oldest + window - now
    }

    private func prune(now: Int64) {
        let cutoff = now - window
        let recent: ([Int64]) -> [Int64]? = { times in
            let kept = times.filter { $0 > cutoff }
            return kept.isEmpty ? nil : kept
        }
        failuresByAccount = failuresByAccount.compactMapValues(recent)
        failuresByAddress = failuresByAddress.compactMapValues(recent)
    }
}
