/// When the normalizer holds back so that acknowledgements have the cores during a burst of webhooks.
///
/// Acknowledging a delivery (verify, append, answer) and applying it (normalize, identity, tickets) compete for the
/// same cores. While deliveries arrive faster than `ratePerSecond`, the normalizer waits — at most `maxDeferral` in a
/// row — and the burst is acknowledged at the rate the acknowledgement path alone allows; the backlog is applied
/// afterwards. Once a deferral has used up its time, the normalizer does not hold back again until it has caught up
/// (a pass that found less than a full batch), so a load that never lets up is applied as it arrives, as without
/// deferral, and the lag stays bounded by `maxDeferral` plus what the applier needs to catch up.
///
/// Used from the normalizer's thread only. Times are monotonic nanoseconds: a clock step never starts or ends one.
struct BurstDeferral {
    /// Appends per second above which the normalizer holds back; 0 = never.
    let ratePerSecond: Int
    /// The longest the normalizer holds back in a row.
    let maxDeferralNanoseconds: UInt64

    private enum State: Equatable {
        case normal
        case deferring(since: UInt64)
        /// A deferral used up its time: no new one until a pass has caught up.
        case catchingUp
    }

    private var state = State.normal
    /// The append count and time of the sample the rate is measured from.
    private var sample: (appends: Int, at: UInt64)?
    /// Appends per second over the last complete sampling window.
    private var rate = 0.0
    /// The shortest window a rate is measured over (100 ms): shorter ones swing with every group commit.
    private static let window: UInt64 = 100_000_000

    init(ratePerSecond: Int, maxDeferralMilliseconds: Int) {
        self.ratePerSecond = ratePerSecond
        maxDeferralNanoseconds = UInt64(max(0, maxDeferralMilliseconds)) * 1_000_000
    }

    /// Whether to skip this pass, given how many deliveries the log has appended so far and the monotonic time.
    mutating func shouldDefer(appendsSoFar appends: Int, now: UInt64) -> Bool {
        measure(appends, now)
        guard ratePerSecond > 0, maxDeferralNanoseconds > 0 else { return false }
        let busy = rate > Double(ratePerSecond)
        switch state {
        case .normal:
            guard busy else { return false }
            state = .deferring(since: now)
            return true
        case .deferring(let since):
            if !busy {
                state = .normal
                return false
            }
            if now &- since >= maxDeferralNanoseconds {
                state = .catchingUp
                return false
            }
            return true
        case .catchingUp:
            return false
        }
    }

    /// A pass ran; `caughtUp` when it found less than a full batch (nothing more was waiting).
    mutating func passRan(caughtUp: Bool) {
        if caughtUp, state == .catchingUp { state = .normal }
    }

    /// Whether the last decision was to hold back.
    var isDeferring: Bool {
        if case .deferring = state { return true }
        return false
    }

    private mutating func measure(_ appends: Int, _ now: UInt64) {
        guard let sample else {
            self.sample = (appends, now)
            return
        }
        let elapsed = now &- sample.at
        guard elapsed >= Self.window else { return }
        rate = Double(appends - sample.appends) * 1_000_000_000 / Double(elapsed)
        self.sample = (appends, now)
    }
}
