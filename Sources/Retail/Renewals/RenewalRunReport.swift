import GatewayKit
/// What one daily run did: cycles opened and lapsed, and attempts written by result.
public struct RenewalRunReport: Sendable, Equatable, CustomStringConvertible {
    /// The run's reference day (in `pos.default_time_zone`).
    public let date: CalendarDate
    public var opened = 0
    public var lapsed = 0
    public var optedOut = 0
    public var attempts: [RenewalAttemptResult: Int] = [:]

    public init(date: CalendarDate) {
        self.date = date
    }

    public subscript(result: RenewalAttemptResult) -> Int { attempts[result] ?? 0 }

    mutating func count(_ result: RenewalAttemptResult) {
        attempts[result, default: 0] += 1
    }

    /// `{"date", "opened", "lapsed", "opted_out", "attempts": {"sent": n, ...}}` (results with a count only).
    public var json: JSONValue {
        var results: [String: JSONValue] = [:]
        for (result, count) in attempts { results[result.rawValue] = .integer(Int64(count)) }
        return ["date": .string(date.description), "opened": .integer(Int64(opened)), "lapsed": .integer(Int64(lapsed)),
                "opted_out": .integer(Int64(optedOut)), "attempts": .object(results)]
    }

    /// `2026-07-01: 12 opened, 3 lapsed, 0 opted out; sent 40, rescheduled 3, skipped_cap 1` (for the CLI).
    public var description: String {
        let results = RenewalAttemptResult.allCases.compactMap { result in
            attempts[result].map { "\(result.rawValue) \($0)" }
        }
        return "\(date): \(opened) opened, \(lapsed) lapsed, \(optedOut) opted out; "
            + (results.isEmpty ? "no reminders due" : results.joined(separator: ", "))
    }
}
