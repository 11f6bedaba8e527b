import Access
import Analytics
import Delivery
import HTTPServer

/// `GET /v1/analytics/{figure}?from=&to=&group_by=&limit=` (`analytics.read`), one route per ``AnalyticsFigure``:
/// `tickets`, `response-times`, `backlog`, `csat`, `outlets`, `renewals`, `leads`. Each counts only what the
/// caller's outlet scope covers; bad parameters → 400 naming each.
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
        }
    }
}
