import Access
import Analytics
import Delivery
import Dispatch
import GatewayKit
import HTTPServer

/// `GET /v1/analytics/{figure}?from=&to=&group_by=&limit=` (`analytics.read`), one route per ``AnalyticsFigure``:
/// `tickets`, `response-times`, `backlog`, `csat`, `outlets`, `renewals`, `leads`; and the same as a CSV table at
/// `/v1/analytics/{figure}.csv` (``AnalyticsCSV``; `bom=true` starts it with the byte-order mark spreadsheets look
/// for). Each counts only what the caller's outlet scope covers; bad parameters → 400 naming each.
struct AnalyticsRoutes {
    let desk: AnalyticsDesk

    func register(in router: inout Router) {
        let desk = self.desk
        for figure in AnalyticsFigure.allCases {
            router.add("GET", "/v1/analytics/\(figure.rawValue)", .requires(.analyticsRead)) { request, responder in
                guard let caller = request.caller(responder) else { return }
                let (parameters, scope) = (request.http.query, caller.principal.scope)
                responder.answer(missing: "no figures") {
                    try desk.figures(figure, parameters: parameters, scope: scope)
                }
            }
            router.add("GET", "/v1/analytics/\(figure.rawValue).csv", .requires(.analyticsRead)) { request, responder in
                guard let caller = request.caller(responder) else { return }
                var parameters = request.http.query
                let bom = parameters.removeValue(forKey: "bom")
                guard bom == nil || bom == "true" || bom == "false" else {
                    return responder.problem(.validation([FieldError(field: "bom", message: "must be true or false")]))
                }
                let (query, scope) = (parameters, caller.principal.scope)
                DispatchQueue.global().async {
                    do {
                        let answer = try desk.figures(figure, parameters: query, scope: scope)
                        let days = "\(answer["from"]?.stringValue ?? "")-\(answer["to"]?.stringValue ?? "")"
                        responder.raw(AnalyticsCSV.table(answer, byteOrderMark: bom == "true"), status: 200,
                                      contentType: "text/csv; charset=utf-8",
                                      headers: [("Content-Disposition",
                                                 "attachment; filename=\"analytics-\(figure.rawValue)-\(days).csv\"")])
                    } catch {
                        responder.problem(GatewayError.storage(error))
                    }
                }
            }
        }
    }
}
