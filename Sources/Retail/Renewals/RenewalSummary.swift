import GatewayKit
import Storage

/// Recovery figures for `GET /v1/renewals/summary`, over the renewal cycles due within `from...to`:
/// - `renewals`: cycles, and `by_status` (`open`, `renewed`, `lapsed`, `stopped`, `opted_out`, `customer_replied`);
/// - `reminded`: cycles with at least one `sent` reminder (queued to or taken by the Cloud API and not reported
///   failed);
/// - `renewed_after_reminder` / `renewed_without_reminder`: renewed cycles by whether a reminder had been sent when
///   the renewal arrived;
/// - `failed_renewals`: reminded cycles that passed their expiry date unrenewed — renewed only after the expiry day
///   (in the outlet's time zone), or not renewed and due before today;
/// - `recovered`: those of them renewed after all; `recovery_rate` = recovered / failed_renewals, 4 decimals (null
///   when there are none);
/// - `replied`: cycles the merchant answered with a renewal keyword, whatever became of them since (a replied cycle
///   the POS then renewed counts here and as renewed);
/// - `opted_out`: cycles stopped because every phone opted out; `opted_out_phones`: phones that opted out within the
///   period (`pos.default_time_zone` days) and have not opted back in;
/// - `attempts`: the cycles' attempts by result.
public struct RenewalSummary: Sendable {
    public let from: CalendarDate
    public let to: CalendarDate
    /// A further limit set by the caller's code on the cycles (`r.fid`, `r.oid`: the caller's scope). With one, the
    /// opted-out phone count — phones are not tied to one outlet — is null.
    public var within: SQLCondition?

    public init(from: CalendarDate, to: CalendarDate) {
        self.from = from
        self.to = to
    }

    /// The figures as JSON; `today` decides which unrenewed cycles have passed expiry; `periodMillis` is the period
    /// as unix ms `[start, end)` for the opt-out count.
    public func json(today: CalendarDate, periodMillis: Range<Int64>,
                     in connection: any DatabaseConnection) throws -> JSONValue {
        let range: [SQLValue] = [.text(from.description), .text(to.description)] + (within?.parameters ?? [])
        let scoped = within.map { " AND " + $0.sql } ?? ""
        /// How many cycles meet `condition` (0 of none).
        func count(_ condition: String) -> String { "coalesce(sum(CASE WHEN \(condition) THEN 1 ELSE 0 END), 0)" }
        let totals = try connection.queryOne("""
            SELECT count(*) AS renewals, \(count("reminded = 1")) AS reminded,
                \(count("status = 'renewed' AND renewed_after_reminder = 1")) AS renewed_after_reminder,
                \(count("status = 'renewed' AND renewed_after_reminder = 0")) AS renewed_without_reminder,
                \(count("reminded = 1 AND (renewed_after_expiry = 1 OR (status <> 'renewed' AND due_date < ?))"))
                    AS failed_renewals,
                \(count("reminded = 1 AND status = 'renewed' AND renewed_after_expiry = 1")) AS recovered,
                \(count("replied_at IS NOT NULL")) AS replied
            FROM (SELECT r.status, r.due_date, r.renewed_after_reminder, r.renewed_after_expiry, r.replied_at,
                         CASE WHEN EXISTS (SELECT 1 FROM renewal_attempts a WHERE a.renewal_id = r.id
                                                                          AND a.result = 'sent') THEN 1 ELSE 0 END
                             AS reminded
                  FROM renewals r WHERE r.due_date BETWEEN ? AND ?\(scoped)) AS cycles
            """, [.text(today.description)] + range)
        func total(_ name: String) -> Int64 { totals?.int64(name) ?? 0 }
        var object: [String: JSONValue] = ["from": .string(from.description), "to": .string(to.description)]
        for name in ["renewals", "reminded", "renewed_after_reminder", "renewed_without_reminder", "failed_renewals",
                     "recovered", "replied"] {
            object[name] = .integer(total(name))
        }
        object["recovery_rate"] = total("failed_renewals") == 0 ? .null
            : .number((Double(total("recovered")) / Double(total("failed_renewals")) * 10_000).rounded() / 10_000)
        let byStatus = try counts("""
            SELECT r.status AS k, count(*) AS n FROM renewals r WHERE r.due_date BETWEEN ? AND ?\(scoped)
            GROUP BY r.status
            """, range, keys: RenewalStatus.allCases.map(\.rawValue), in: connection)
        object["by_status"] = byStatus
        object["opted_out"] = byStatus[RenewalStatus.optedOut.rawValue] ?? 0
        object["opted_out_phones"] = within != nil ? .null : .integer(try connection.queryOne("""
            SELECT count(*) AS n FROM renewal_opt_outs WHERE opted_out_at >= ? AND opted_out_at < ?
            """, [.integer(periodMillis.lowerBound), .integer(periodMillis.upperBound)])?.int64("n") ?? 0)
        object["attempts"] = try counts("""
            SELECT a.result AS k, count(*) AS n FROM renewal_attempts a JOIN renewals r ON r.id = a.renewal_id
            WHERE r.due_date BETWEEN ? AND ?\(scoped) GROUP BY a.result
            """, range, keys: RenewalAttemptResult.allCases.map(\.rawValue), in: connection)
        return .object(object)
    }

    /// `{key: count}` for every key (0 when absent).
    private func counts(_ sql: String, _ params: [SQLValue], keys: [String],
                        in connection: any DatabaseConnection) throws -> JSONValue {
        var object = Dictionary(uniqueKeysWithValues: keys.map { ($0, JSONValue.integer(0)) })
        for row in try connection.query(sql, params) {
            if let key = row.string("k") { object[key] = .integer(row.int64("n") ?? 0) }
        }
        return .object(object)
    }
}
