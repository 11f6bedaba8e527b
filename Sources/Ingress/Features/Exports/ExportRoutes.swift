import Access
import Delivery
import Dispatch
import Foundation
import GatewayKit
import HTTPServer

/// `GET /v1/exports/{kind}.csv?from=&to=[&bom=true]` (`data.export`): the rows of `kind` whose time column falls on the
/// local days `from` to `to` (both included, in `analytics.time_zone`, at most `analytics.max_range_days`), as a CSV
/// file streamed while it is read (``ExportStream``): header line first, then one record per row in key order.
/// A caller limited to some outlets gets the rows of those outlets only; a kind whose rows carry no outlet (audit
/// events) is 403 for them. 400 names each bad parameter (unknown kind, dates, their order, the range, `bom`, any
/// parameter not listed here).
struct ExportRoutes {
    let catalog: ExportCatalog
    let timeZone: TimeZone
    let maxRangeDays: Int
    let clock: @Sendable () -> Int64

    static let parameters: Set<String> = ["from", "to", "bom"]

    func register(in router: inout Router) {
        let (catalog, timeZone, maxRangeDays, clock) = (self.catalog, self.timeZone, self.maxRangeDays, self.clock)
        router.add("GET", "/v1/exports/{kind}.csv", .requires(.dataExport)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            let query = request.http.query
            var errors = query.keys.filter { !Self.parameters.contains($0) }.sorted().map {
                FieldError(field: $0, message: "is not a parameter of exports (from, to, bom)")
            }
            let kind = request.parameters["kind"] ?? ""
            let table = catalog.tables[kind]
            if table == nil {
                errors.append(FieldError(field: "kind", message: "must be one of "
                                         + catalog.kinds.joined(separator: ", ")))
            }
            let byteOrderMark = query["bom"].map { $0 == "true" ? true : $0 == "false" ? false : nil }
            if case .some(nil) = byteOrderMark {
                errors.append(FieldError(field: "bom", message: "must be true or false"))
            }
            let period = ReportPeriod.parse(query, timeZone: timeZone, maxDays: maxRangeDays, now: clock())
            if case .failure(.validation(let fields)) = period { errors += fields }
            guard errors.isEmpty, let table, case .success(let days) = period else {
                return responder.problem(.validation(errors))
            }
            guard table.isScoped || caller.principal.scope.isUnrestricted else {
                return responder.problem(.forbidden("\(kind) rows carry no outlet: exporting them needs an "
                                                    + "unrestricted scope"))
            }
            let export = ExportStream(table: table, request: ExportRequest(period: days, scope: caller.principal.scope),
                                      byteOrderMark: byteOrderMark == true)
            let headers = [("Content-Type", "text/csv; charset=utf-8"),
                           ("Content-Disposition", "attachment; filename=\"\(kind)-\(days.from)-\(days.to).csv\"")]
            // The first page is read before answering, off the request thread: a store that cannot be read is a 503,
            // not a truncated file.
            DispatchQueue.global().async {
                do {
                    responder.respond(HTTPResponse(status: 200, headers: headers, stream: try export.start()))
                } catch {
                    responder.problem(.storage(error))
                }
            }
        }
    }
}
