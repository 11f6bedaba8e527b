import Access
import Delivery
import Foundation
import GatewayKit
import HTTPServer
import Retail

/// The renewal API (admin bearer token):
/// - `GET /v1/renewals?status=&due_before=&oid=&limit=&cursor=` → `{"items": [renewal with its attempts…],
///   "next_cursor"}` by due date (``RenewalRecord``); `limit` 1–500 (50).
/// - `GET /v1/renewals/summary?from=&to=` → the recovery figures of the cycles due within the period
///   (``RenewalSummary``); days default to the last 30 up to today (`pos.default_time_zone`).
/// Every bad parameter is named in one 400.
struct RenewalRoutes {
    let reports: RenewalReports
    let timeZone: TimeZone
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let reports = self.reports
        let (timeZone, clock) = (self.timeZone, self.clock)
        router.add("GET", "/v1/renewals", .requires(.renewalsRead)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            var query: RenewalQuery
            switch Self.listQuery(request.http.query) {
            case .failure(let error): return responder.problem(error)
            case .success(let parsed): query = parsed
            }
            query.within = caller.principal.scope.condition(fid: "fid", oid: "oid")
            let scoped = query
            responder.answer(missing: "") {
                let page = try reports.page(scoped)
                return ["items": .array(page.items.map(\.json)), "next_cursor": JSONValue(page.nextCursor?.description)]
            }
        }
        router.add("GET", "/v1/renewals/summary", .requires(.renewalsRead)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            let today = CalendarDate(unixMillis: clock(), in: timeZone)
            var summary: RenewalSummary
            switch Self.period(request.http.query, today: today) {
            case .failure(let error): return responder.problem(error)
            case .success(let parsed): summary = parsed
            }
            summary.within = caller.principal.scope.condition(fid: "r.fid", oid: "r.oid")
            let start = DailySchedule(minuteOfDay: 0, timeZone: timeZone)
            let period = start.slot(on: summary.from)..<start.slot(on: summary.to.adding(days: 1))
            let scoped = summary
            responder.answer(missing: "") { try reports.summary(scoped, today: today, periodMillis: period) }
        }
    }

    /// `status`, `due_before` (a day: cycles due before it), `oid`, `limit`, `cursor`.
    static func listQuery(_ parameters: [String: String]) -> Result<RenewalQuery, GatewayError> {
        var query = RenewalQuery()
        var errors: [FieldError] = []
        if let text = parameters["status"] {
            if let status = RenewalStatus(rawValue: text) { query.status = status } else {
                errors.append(FieldError(field: "status", message: "must be one of "
                                         + RenewalStatus.allCases.map(\.rawValue).joined(separator: ", ")))
            }
        }
        if let text = parameters["due_before"] {
            if let date = CalendarDate(text) { query.dueBefore = date } else {
                errors.append(FieldError(field: "due_before", message: "must be a date YYYY-MM-DD that exists"))
            }
        }
        if let text = parameters["oid"] {
            if let oid = OutletFieldRules.id(text) { query.oid = oid } else {
                errors.append(FieldError(field: "oid", message: OutletFieldRules.idRule))
            }
        }
        if let text = parameters["limit"] {
            if let value = Int(text), (1...RenewalQuery.maxLimit).contains(value) { query.limit = value } else {
                errors.append(FieldError(field: "limit",
                                         message: "must be an integer between 1 and \(RenewalQuery.maxLimit)"))
            }
        }
        if let text = parameters["cursor"] {
            if let cursor = RenewalQuery.Cursor(text) { query.after = cursor } else {
                errors.append(FieldError(field: "cursor", message: "must be the next_cursor of a previous page"))
            }
        }
        return errors.isEmpty ? .success(query) : .failure(.validation(errors))
    }

    /// `from` and `to` (days, inclusive; default the 30 days up to `today`), `from` ≤ `to`.
    static func period(_ parameters: [String: String], today: CalendarDate) -> Result<RenewalSummary, GatewayError> {
        var errors: [FieldError] = []
        func day(_ name: String, default value: CalendarDate) -> CalendarDate {
            guard let text = parameters[name] else { return value }
            if let date = CalendarDate(text) { return date }
            errors.append(FieldError(field: name, message: "must be a date YYYY-MM-DD that exists"))
            return value
        }
        let from = day("from", default: today.adding(days: -30))
        let to = day("to", default: today)
        if errors.isEmpty && to < from {
            errors.append(FieldError(field: "to", message: "must not be before from (\(from))"))
        }
        return errors.isEmpty ? .success(RenewalSummary(from: from, to: to)) : .failure(.validation(errors))
    }
}
