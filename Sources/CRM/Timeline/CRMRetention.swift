import Delivery
import Storage

/// How long CRM keeps timeline entries (their deals and tickets stay) and the cached answers of `Idempotency-Key`
/// requests.
public enum CRMRetention {
    public static func rules(_ settings: RetentionSettings) -> [RetentionRule] {
        [
            RetentionRule("timeline_entries", keep: Int64(settings.timelineMilliseconds)) { before, limit, c in
                try TimelineTable.purge(before: before, limit: limit, in: c)
            },
            RetentionRule("idempotency_keys", keep: Int64(settings.idempotencyKeysMilliseconds)) { before, limit, c in
                try IdempotencyKeyLedger.purge(before: before, limit: limit, in: c)
            },
        ]
    }
}
