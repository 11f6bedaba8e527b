import Foundation
import GatewayKit
import Storage

/// The read side of renewals: pages of cycles with their attempts, the recovery summary of a period, and the counts
/// the gauges show. Blocking reads.
public struct RenewalReports: Sendable {
    private let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public func page(_ query: RenewalQuery) throws -> (items: [RenewalRecord], nextCursor: RenewalQuery.Cursor?) {
        try database.read { try query.page(in: $0) }
    }

    /// `summary` for the cycles due within `periodMillis`, as seen on `today`.
    public func summary(_ summary: RenewalSummary, today: CalendarDate, periodMillis: Range<Int64>) throws -> JSONValue {
        try database.read { try summary.json(today: today, periodMillis: periodMillis, in: $0) }
    }

    /// Cycles by status; empty when the store cannot be read.
    public func countsByStatus() -> [(status: String, count: Int64)] {
        counts("SELECT status AS k, count(*) AS n FROM renewals GROUP BY status")
    }

    /// Renewed cycles by whether a reminder had been sent when the renewal arrived (`true` / `false`).
    public func renewedCountsByReminder() -> [(afterReminder: String, count: Int64)] {
        counts("""
            SELECT CASE renewed_after_reminder WHEN 1 THEN 'true' ELSE 'false' END AS k, count(*) AS n
            FROM renewals WHERE status = 'renewed' GROUP BY k
            """).map { ($0.0, $0.1) }
    }

    private func counts(_ sql: String) -> [(String, Int64)] {
        let rows = (try? database.read { try $0.query(sql) }) ?? []
        return rows.compactMap { row in row.string("k").map { ($0, row.int64("n") ?? 0) } }
    }
}
