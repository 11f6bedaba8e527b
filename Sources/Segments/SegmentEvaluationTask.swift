import Dispatch
import GatewayKit

/// The nightly evaluation of every active segment, at `segments.evaluation_time` in the organisation's time zone (a
/// day missed while the gateway was down is made up at start). Segments are evaluated one after another; when the run
/// has taken `segments.evaluation_timeout`, the rest are skipped — each logged and counted, for the alert — and wait
/// for the next run or a manual refresh.
public struct SegmentEvaluationTask: DailyTask {
    private let segments: SegmentService
    private let timeoutMilliseconds: Int64
    private let log: EventLog

    public init(segments: SegmentService, timeoutMilliseconds: Int64, log: EventLog) {
        self.segments = segments
        self.timeoutMilliseconds = timeoutMilliseconds
        self.log = log
    }

    public static func job(segments: SegmentService, settings: SegmentSettings, log: EventLog,
                           clock: @escaping @Sendable () -> Int64) -> DailyJob {
        DailyJob(name: "segment-eval",
                 schedule: DailySchedule(minuteOfDay: settings.evaluationMinuteOfDay, timeZone: settings.timeZone),
                 task: SegmentEvaluationTask(segments: segments,
                                             timeoutMilliseconds: Int64(settings.evaluationTimeoutMilliseconds),
                                             log: log),
                 pollMilliseconds: 60_000, clock: clock)
    }

    /// Not recorded: a start evaluates once (the segments' own `evaluated_at` says how fresh each is).
    public func lastCompletion(notAfter now: Int64) -> Int64? { nil }

    public func run(attempt: Int, now: Int64) -> DailyRunOutcome {
        guard let ids = try? segments.activeIDs() else { return .retry(afterMilliseconds: 60_000) }
        let started = DispatchTime.now().uptimeNanoseconds
        var evaluated = 0
        for id in ids {
            let elapsed = Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
            if elapsed >= timeoutMilliseconds {
                segments.skip(id, now: now)
                continue
            }
            if segments.evaluate(id, now: now) { evaluated += 1 }
        }
        log.info("segment_evaluation_run", ["segments": String(ids.count), "evaluated": String(evaluated)])
        return .done
    }
}
