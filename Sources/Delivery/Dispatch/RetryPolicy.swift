/// Decides what happens after an attempt: delivered, retried later (exponential schedule with full jitter, never
/// sooner than the receiver's `Retry-After`), or dead-lettered (permanent refusal, 410 Gone, or attempts exhausted).
public struct RetryPolicy: Sendable {
    public enum Decision: Sendable, Equatable {
        case delivered
        /// Try again at this unix ms.
        case retry(at: Int64)
        /// Finished without delivery and without a dead letter (``DeliveryVerdict/rejected(error:)``).
        case rejected
        case deadLetter(DeadLetterReason)
    }

    /// Upper bound of the random delay after attempt n (1-based) is `scheduleMilliseconds[n-1]`, the last entry
    /// repeating.
    public let scheduleMilliseconds: [Int]
    public let maxAttempts: Int
    public let maxRetryAfterMilliseconds: Int
    /// Uniform random integer in the range; injectable so tests can pin the jitter.
    private let random: @Sendable (ClosedRange<Int>) -> Int

    public init(scheduleMilliseconds: [Int], maxAttempts: Int, maxRetryAfterMilliseconds: Int,
                random: @escaping @Sendable (ClosedRange<Int>) -> Int = { Int.random(in: $0) }) {
        self.scheduleMilliseconds = scheduleMilliseconds.isEmpty ? [5_000] : scheduleMilliseconds
        self.maxAttempts = max(1, maxAttempts)
        self.maxRetryAfterMilliseconds = maxRetryAfterMilliseconds
        self.random = random
    }

    public init(_ settings: OutboundSettings) {
        self.init(scheduleMilliseconds: settings.retryScheduleMilliseconds, maxAttempts: settings.maxAttempts,
                  maxRetryAfterMilliseconds: settings.maxRetryAfterMilliseconds)
    }

    /// - Parameters:
    ///   - attempts: attempts made so far, this one included.
    ///   - now: unix ms when the attempt finished.
    func decide(_ report: AttemptReport, attempts: Int, now: Int64) -> Decision {
        guard let errorClass = report.errorClass else { return .delivered }
        if errorClass == .gone { return .deadLetter(.gone) }
        if errorClass == .rejected { return .rejected }
        guard errorClass.isRetryable else { return .deadLetter(.permanent) }
        guard attempts < maxAttempts else { return .deadLetter(.exhausted) }
        var delay = backoff(afterAttempt: attempts)
        if let retryAfter = report.retryAfterMillis {
            delay = max(delay, min(retryAfter, maxRetryAfterMilliseconds))
        }
        return .retry(at: now + Int64(delay))
    }

    /// Full jitter: uniform in [0, schedule step], so many failing deliveries do not come back in lockstep.
    func backoff(afterAttempt attempts: Int) -> Int {
        let step = scheduleMilliseconds[min(max(attempts, 1), scheduleMilliseconds.count) - 1]
        return random(0...step)
    }
}
