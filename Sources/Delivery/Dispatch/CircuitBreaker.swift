/// Per-endpoint circuit breaker: after `threshold` consecutive failed attempts it opens and nothing is sent for
/// `coolDownMillis`; then it lets a single probe through (half-open). The probe's success closes it, its failure
/// opens it for another cool-down. Owned by the dispatcher thread; time is passed in (unix ms).
struct CircuitBreaker {
    enum State: Equatable {
        case closed
        case open(until: Int64)
        case halfOpen
    }

    /// 0 disables the breaker.
    let threshold: Int
    let coolDownMillis: Int
    private(set) var state = State.closed
    private(set) var consecutiveFailures = 0

    init(threshold: Int, coolDownMillis: Int) {
        self.threshold = threshold
        self.coolDownMillis = coolDownMillis
    }

    /// How many deliveries may be in flight now: unlimited (nil) when closed, one probe when half-open, none when
    /// open. Moves an open breaker whose cool-down has passed to half-open.
    mutating func allowance(now: Int64) -> Int? {
        if case .open(let until) = state, now >= until { state = .halfOpen }
        switch state {
        case .closed: return nil
        case .halfOpen: return 1
        case .open: return 0
        }
    }

    /// When an open breaker will admit a probe; nil otherwise.
    var reopensAt: Int64? {
        if case .open(let until) = state { return until }
        return nil
    }

    mutating func recordSuccess() {
        consecutiveFailures = 0
        state = .closed
    }

    /// Returns true when this failure opened the breaker.
    mutating func recordFailure(now: Int64) -> Bool {
        consecutiveFailures += 1
        guard threshold > 0 else { return false }
        switch state {
        case .halfOpen:
            state = .open(until: now + Int64(coolDownMillis))
            return true
        case .closed where consecutiveFailures >= threshold:
            state = .open(until: now + Int64(coolDownMillis))
            return true
        case .closed, .open:
            return false
        }
    }
}
