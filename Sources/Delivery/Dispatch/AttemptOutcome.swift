/// What the dispatcher writes back for one finished attempt, derived from the retry policy's decision: the outbox
/// update, the `outcome` metric label and what an observer of the endpoint is told.
struct AttemptOutcome {
    let update: OutboxUpdate
    /// `delivered`, `retry_scheduled`, `rejected` or a dead-letter reason.
    let label: String
    let result: OutboundDeliveryOutcome.Result

    init(_ record: OutboxRecord, _ report: AttemptReport, _ decision: RetryPolicy.Decision) {
        switch decision {
        case .delivered:
            (update, label, result) = (.delivered(id: record.id, report: report), "delivered", .delivered)
        case .retry(let at):
            (update, label, result) = (.retry(id: record.id, at: at, report: report), "retry_scheduled", .retrying)
        case .rejected:
            (update, label, result) = (.rejected(id: record.id, report: report), "rejected", .rejected)
        case .deadLetter(let reason):
            (update, label, result) = (.deadLetter(id: record.id, reason: reason, report: report), reason.rawValue,
                                       .deadLettered)
        }
    }

    /// The observer's view of this outcome.
    static func notice(_ record: OutboxRecord, _ report: AttemptReport, _ result: OutboundDeliveryOutcome.Result,
                       at now: Int64) -> OutboundDeliveryOutcome {
        OutboundDeliveryOutcome(endpoint: record.endpoint, idempotencyKey: record.idempotencyKey, result: result,
                                status: report.status, error: report.error, responseBody: report.responseBody ?? [],
                                attempts: record.attempts + 1, at: now)
    }
}
