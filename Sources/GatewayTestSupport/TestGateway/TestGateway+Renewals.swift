import Configuration
import Delivery
import Foundation
import GatewayKit
import HTTPClient
import HTTPTesting
import Ingress
import Retail
import Storage
import XCTest

/// Renewal tests: a gateway whose daily renewal job runs on the test's clock and whose WhatsApp sends reach a stub
/// Cloud API, plus helpers to move through simulated days in Kuala Lumpur.
package extension TestGateway {
    /// A gateway with the renewal job on, sends going to `cloud` (on `store`, an earlier gateway's, for a restart).
    static func renewals(_ cloud: StubSink, clockStart: Int64 = 1_750_000_000_000, store: TestStore? = nil,
                         configure: (inout GatewayConfig) -> Void = { _ in }) throws -> TestGateway {
        try TestGateway.whatsApp(cloud, clockStart: clockStart, store: store) { config in
            config.renewals.enabled = true
            configure(&config)
        }
    }

    /// Unix ms of `date` (`YYYY-MM-DD`) at `time` (`HH:MM`) in `zone`.
    static func millis(_ date: String, _ time: String, _ zone: String = "Asia/Kuala_Lumpur") -> Int64 {
        DailySchedule(minuteOfDay: TimeOfDayText.minutes(time)!, timeZone: zone).slot(on: CalendarDate(date)!)
    }

    /// Moves the gateway's clock (never backwards) to `date` `time` in Kuala Lumpur.
    func moveClock(to date: String, _ time: String) {
        let target = Self.millis(date, time)
        precondition(target >= clock.now, "the test clock only moves forward")
        clock.advance(milliseconds: target - clock.now)
    }

    /// Moves to `date` 03:00 (the run time), wakes the renewal job and waits for that day's run.
    func runRenewals(on date: String, file: StaticString = #filePath, line: UInt = #line) {
        moveClock(to: date, "03:00")
        app.renewalJob?.wake()
        eventually("renewal run of \(date)", file: file, line: line) {
            try !rows("SELECT 1 FROM renewal_runs WHERE run_date = ?", [.text(date)]).isEmpty
        }
    }

    /// Runs the renewal scheduler once as of the gateway's clock (what the daily job does), on the single writer.
    @discardableResult
    func runRenewalsNow() throws -> RenewalRunReport {
        try write { [scheduler = app.renewalScheduler, now = clock.now] in try scheduler.run(at: now, in: $0) }
    }

    /// Wakes the dispatcher and waits until every WhatsApp send due by now has been answered.
    func deliverDueMessages(file: StaticString = #filePath, line: UInt = #line) {
        app.dispatcher.wake()
        eventually("due WhatsApp sends answered", file: file, line: line) {
            try rows("""
                SELECT 1 FROM outbox WHERE endpoint = 'whatsapp'
                  AND (status = 'in_flight' OR (status = 'pending' AND next_attempt_at <= ?))
                """, [.integer(clock.now)]).isEmpty
        }
    }

    /// `POST /v1/pos/outlets/{oid}` with `body`; fails the test unless 200/201.
    func pushOutlet(_ oid: String, _ body: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let response = try admin("POST", "/v1/pos/outlets/\(oid)", body: body, file: file, line: line)
        XCTAssertTrue([200, 201].contains(response.status), response.text, file: file, line: line)
    }

    /// Runs `body` as a unit of work of the gateway's database (what an inbound step or a CLI does).
    func write<T: Sendable>(_ body: @escaping @Sendable (any DatabaseConnection) throws -> T) throws -> T {
        try app.store.database.write(body)
    }
}
