import Foundation
import GatewayKit
import Storage

/// Changes to the rollups from a batch of tickets: each ticket's old contribution taken back and its new one added,
/// summed in memory so a batch touches each rollup row once.
struct RollupChanges {
    /// A day's row (`month` false) or a calendar month's (`day` = its first day).
    struct DayKey: Hashable { let dimension: AnalyticsDimension; let month: Bool; let day: Int; let value: String }
    struct TimeKey: Hashable {
        let metric: String; let dimension: AnalyticsDimension; let month: Bool; let day: Int; let value: String
        let seconds: Int64
    }
    struct BacklogKey: Hashable { let day: Int; let age: BacklogAge }

    var days: [DayKey: TicketTotals] = [:]
    var times: [TimeKey: Int] = [:]
    var backlog: [BacklogKey: Int] = [:]
    let dimensions: [AnalyticsDimension]
    let timeZone: TimeZone

    init(dimensions: [AnalyticsDimension] = AnalyticsDimension.allCases, timeZone: TimeZone) {
        self.dimensions = dimensions
        self.timeZone = timeZone
    }

    /// Adds (`sign` +1) or takes back (-1) what `fact` contributes, to its day's rows and, with `months`, to its
    /// month's.
    mutating func add(_ fact: TicketFact, sign: Int, months: Bool = true) {
        let totals = TicketTotals(fact, sign: sign)
        let spans = months ? [(false, fact.day), (true, Self.monthStart(of: fact.day))] : [(false, fact.day)]
        for dimension in dimensions {
            for value in dimension.values(of: fact) {
                for (month, day) in spans {
                    days[DayKey(dimension: dimension, month: month, day: day, value: value), default: TicketTotals()]
                        += totals
                    for (metric, time) in [("frt", fact.frt), ("art", fact.art)] {
                        guard let time else { continue }
                        let key = TimeKey(metric: metric, dimension: dimension, month: month, day: day, value: value,
                                          seconds: ResponseTimeBuckets.bucket(milliseconds: time.milliseconds))
                        times[key, default: 0] += sign
                    }
                }
            }
        }
        addBacklog(fact, sign: sign)
    }

    /// The first day of the calendar month of `day` (days since 1970-01-01).
    static func monthStart(of day: Int) -> Int {
        let date = CalendarDate(daysSinceEpoch: day)
        return day - date.day + 1
    }

    /// The ticket enters each age bucket it reaches while in the backlog and leaves it when it ages out of it or
    /// leaves the backlog, each change on the local day it happens.
    private mutating func addBacklog(_ fact: TicketFact, sign: Int) {
        for age in BacklogAge.allCases {
            let enters = fact.openedAt + age.span.from
            if let ended = fact.endedAt, ended <= enters { continue }
            backlog[BacklogKey(day: day(of: enters), age: age), default: 0] += sign
            let leaves = [age.span.until.map { fact.openedAt + $0 }, fact.endedAt].compactMap { $0 }.min()
            if let leaves { backlog[BacklogKey(day: day(of: leaves), age: age), default: 0] -= sign }
        }
    }

    private func day(of millis: Int64) -> Int { CalendarDate(unixMillis: millis, in: timeZone).daysSinceEpoch }

    /// Writes the changes into the rollup tables: a few statements per table, each adding to many rows.
    func write(in c: any DatabaseConnection) throws {
        let totals = TicketTotals.columns
        try Self.add(into: "analytics_ticket_days", key: ["dimension", "span", "day", "value"], counters: totals,
                     rows: days.filter { !$0.value.isZero }.map { key, totals in
                         [.text(key.dimension.rawValue), .text(key.month ? "m" : "d"), .integer(Int64(key.day)),
                          .text(key.value)] + totals.values.map { .integer(Int64($0)) }
                     }, in: c)
        try Self.add(into: "analytics_response_times", key: ["metric", "dimension", "span", "day", "value", "seconds"],
                     counters: ["tickets"], rows: times.filter { $0.value != 0 }.map { key, change in
                         [.text(key.metric), .text(key.dimension.rawValue), .text(key.month ? "m" : "d"),
                          .integer(Int64(key.day)), .text(key.value), .integer(key.seconds), .integer(Int64(change))]
                     }, in: c)
        try Self.add(into: "analytics_backlog_changes", key: ["day", "age"], counters: ["change"],
                     rows: backlog.filter { $0.value != 0 }.map { key, change in
                         [.integer(Int64(key.day)), .text(key.age.rawValue), .integer(Int64(change))]
                     }, in: c)
    }

    /// Adds `rows` (`key` columns, then `counters`) to `table`: a row whose key is new is inserted, else its counters
    /// are added to the stored ones.
    private static func add(into table: String, key: [String], counters: [String], rows: [[SQLValue]],
                            in c: any DatabaseConnection) throws {
        let updates = counters.map { "\($0) = \(table).\($0) + excluded.\($0)" }.joined(separator: ", ")
        try RowInserts.insert(into: table, columns: key + counters, rows: rows,
                              conflict: "(\(key.joined(separator: ", "))) DO UPDATE SET \(updates)", in: c)
    }
}
