import Foundation
import GatewayKit
import Storage

/// One summary e-mail, for whoever sends mail (the app wires SMTP).
public struct SummaryMail: Sendable, Equatable {
    public let to: [String]
    public let subject: String
    public let text: String
    public let html: String
}

/// The daily summary (yesterday) and, on `analytics.weekly_summary_day`, the weekly one (last Monday to Sunday),
/// e-mailed to `analytics.summary_recipients` at `analytics.summary_time`. Each period is mailed once
/// (`analytics_summaries`): a run that finds it sent or skipped does nothing, one that finds it failed tries again.
/// Without SMTP or recipients the summary is skipped with a log line (`desk_summary_skipped`). A crash between the
/// mail and its record sends it again at the next start.
public final class DeskSummaries: DailyTask {
    public typealias Send = @Sendable (SummaryMail) throws -> Void

    private let database: any Database
    private let desk: AnalyticsDesk
    private let settings: AnalyticsSettings
    private let timeZone: TimeZone
    /// Nil when no mail server is configured.
    private let send: Send?
    private let metrics: MetricsRegistry
    private let log: EventLog

    public init(database: any Database, desk: AnalyticsDesk, settings: AnalyticsSettings, send: Send?,
                metrics: MetricsRegistry, log: EventLog) {
        self.database = database
        self.desk = desk
        self.settings = settings
        timeZone = TimeZone(identifier: settings.timeZone) ?? TimeZone(identifier: "UTC")!
        self.send = send
        self.metrics = metrics
        self.log = log
    }

    /// The daily job that runs the summaries, looking at the clock every `pollMilliseconds`.
    public func job(pollMilliseconds: Int = 30_000, clock: @escaping @Sendable () -> Int64) -> DailyJob {
        DailyJob(name: "desk-summary",
                 schedule: DailySchedule(minuteOfDay: settings.summaryMinuteOfDay, timeZone: timeZone), task: self,
                 pollMilliseconds: pollMilliseconds, clock: clock)
    }

    public func lastCompletion(notAfter now: Int64) -> Int64? {
        try? database.read { c in
            try c.queryOne("SELECT max(at) AS at FROM analytics_summaries WHERE kind = 'daily' AND at <= ?",
                           [.integer(now)])?.int64("at")
        }
    }

    public func run(attempt: Int, now: Int64) -> DailyRunOutcome {
        let today = CalendarDate(unixMillis: now, in: timeZone)
        var periods = [("daily", today.adding(days: -1), today.adding(days: -1))]
        let weekday = ((today.daysSinceEpoch - 4) % 7 + 7) % 7  // 1970-01-01 was a Thursday: 0 = Monday
        if AnalyticsSettings.weekdays[weekday] == settings.weeklySummaryDay.lowercased() {
            periods.append(("weekly", today.adding(days: -7), today.adding(days: -1)))
        }
        var failed = false
        for (kind, from, to) in periods {
            do {
                if try mail(kind, from: from, to: to, now: now) == "failed" { failed = true }
            } catch {
                log.error("desk_summary_failed", ["kind": kind, "period": from.description, "error": "\(error)"])
                failed = true
            }
        }
        guard failed else { return .done }
        return attempt < 3 ? .retry(afterMilliseconds: 10 * 60_000) : .givenUp
    }

    /// Mails one period's summary unless it was; the outcome recorded.
    private func mail(_ kind: String, from: CalendarDate, to: CalendarDate, now: Int64) throws -> String {
        let period = from.description
        let previous = try database.read { c in
            try c.queryOne("SELECT outcome FROM analytics_summaries WHERE kind = ? AND period = ?",
                           [.text(kind), .text(period)])?.string("outcome")
        }
        if previous == "sent" || previous == "skipped" { return previous! }
        var outcome = "sent", detail: String?
        if send == nil || settings.summaryRecipients.isEmpty {
            outcome = "skipped"
            detail = send == nil ? "smtp.url is not set" : "analytics.summary_recipients is empty"
            log.info("desk_summary_skipped", ["kind": kind, "period": period, "reason": detail!])
        } else {
            let summary = try DeskSummary(kind: kind, from: from, to: to, desk: desk)
            do {
                try send!(SummaryMail(to: settings.summaryRecipients, subject: summary.title, text: summary.text,
                                      html: summary.html))
            } catch {
                (outcome, detail) = ("failed", "\(error)")
                log.warning("desk_summary_mail_failed", ["kind": kind, "period": period, "error": "\(error)"])
            }
        }
        let recipients = settings.summaryRecipients.count
        try database.write { [outcome, detail] c in
            try c.run("""
                INSERT INTO analytics_summaries (kind, period, outcome, recipients, detail, at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (kind, period) DO UPDATE SET outcome = excluded.outcome, recipients = excluded.recipients,
                    detail = excluded.detail, at = excluded.at
                """, [.text(kind), .text(period), .text(outcome), .integer(Int64(recipients)), SQLValue(detail),
                      .integer(now)])
        }
        metrics.increment("gateway_desk_summaries_total", [("kind", kind), ("outcome", outcome)],
                          help: "Daily and weekly desk summaries, by kind and outcome (sent, skipped, failed)")
        return outcome
    }
}
