/// Rate limit of one endpoint: `ratePerSecond` tokens a second, at most a tenth of a second's worth banked, so
/// sends are spread evenly instead of bursting a whole second's quota at once (WhatsApp's 80/s is per second, not
/// per minute). Owned by the dispatcher thread; time is passed in (unix ms).
struct TokenBucket {
    let ratePerSecond: Int
    let capacity: Double
    private var tokens: Double
    private var updatedAt: Int64?

    init(ratePerSecond: Int) {
        self.ratePerSecond = ratePerSecond
        capacity = max(1, Double(ratePerSecond) / 10)
        tokens = capacity
    }

    /// Takes a token if one is available now.
    mutating func take(now: Int64) -> Bool {
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Unix ms when the next token will be available (now, if one is).
    mutating func nextTokenAt(now: Int64) -> Int64 {
        refill(now: now)
        guard tokens < 1 else { return now }
        let missing = 1 - tokens
        return now + Int64((missing * 1000 / Double(ratePerSecond)).rounded(.up))
    }

    /// Sends this endpoint may start within `milliseconds` from now (what is worth claiming ahead).
    mutating func available(within milliseconds: Int, now: Int64) -> Int {
        refill(now: now)
        return Int(tokens) + ratePerSecond * milliseconds / 1000
    }

    private mutating func refill(now: Int64) {
        if let updatedAt, now > updatedAt {
            tokens = min(capacity, tokens + Double(now - updatedAt) * Double(ratePerSecond) / 1000)
        }
        if updatedAt == nil || now > updatedAt! { updatedAt = now }
    }
}
