import GatewayKit
import Storage

/// `renewal_runs`: one row per reference day with how many runs it had, when the last one ran and its report — the
/// daily job's memory across restarts (a day missed while the gateway was down is run at start) and the operator's.
public enum RenewalRunLog {
    static func record(_ report: RenewalRunReport, at now: Int64, in connection: any DatabaseConnection) throws {
        try connection.run("""
            INSERT INTO renewal_runs (run_date, runs, ran_at, report) VALUES (?, 1, ?, ?)
            ON CONFLICT (run_date) DO UPDATE SET runs = renewal_runs.runs + 1, ran_at = excluded.ran_at,
                report = excluded.report
            """, [.text(report.date.description), .integer(now), .text(JSONWriter.string(report.json))])
    }

    /// When the latest run as of `now` or earlier happened (unix ms), nil before the first. Runs dated later
    /// (`gateway renewals run --date` with a future day) do not count: they must not stop today's run.
    public static func lastRunAt(notAfter now: Int64, in connection: any DatabaseConnection) throws -> Int64? {
        try connection.queryOne("SELECT max(ran_at) AS at FROM renewal_runs WHERE ran_at <= ?", [.integer(now)])?
            .int64("at")
    }
}
