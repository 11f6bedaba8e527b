/// What the dispatcher writes back for a claimed row.
enum OutboxUpdate: Sendable {
    /// 2xx: the row becomes `delivered` (kept for the retention so its idempotency key stays known).
    case delivered(id: Int64, report: AttemptReport)
    /// A retryable failure: back to `pending` until `at`, the attempt added to the history.
    case retry(id: Int64, at: Int64, report: AttemptReport)
    /// A final refusal that is not worth a dead letter (``DeliveryVerdict/rejected(error:)``): finished like a
    /// delivered row (kept for the retention so its key stays known), with the refusal as its last status and error.
    case rejected(id: Int64, report: AttemptReport)
    /// Moved to the dead-letter table with the attempt that ended it.
    case deadLetter(id: Int64, reason: DeadLetterReason, report: AttemptReport)
    /// Handed back unattempted (breaker opened, endpoint disabled, shutting down): `pending` again from `at`.
    case release(id: Int64, at: Int64)

    var id: Int64 {
        switch self {
        case .delivered(let id, _), .retry(let id, _, _), .rejected(let id, _), .deadLetter(let id, _, _),
             .release(let id, _):
            return id
        }
    }
}
