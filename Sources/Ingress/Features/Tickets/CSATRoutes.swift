import Access
import Conversations
import Delivery
import HTTPServer

/// `GET /v1/csat?group_by=ticket|agent|outlet&from=&to=&limit=` (bearer token) → the ``CSATReport``; bad parameters
/// → 400 naming each (``CSATReportQuery``).
struct CSATRoutes {
    let desk: TicketDesk
    /// Unix milliseconds, anchoring `from`/`to` durations such as `30d`.
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (desk, clock) = (self.desk, self.clock)
        router.add("GET", "/v1/csat", .requires(.csatRead)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            switch CSATReportQuery.parse(request.http.query, now: clock()) {
            case .failure(let error): responder.problem(error)
            case .success(var query):
                // Totals and groups cover only the surveys of tickets inside the caller's scope.
                query.within = caller.principal.scope.condition(fid: "t.fid", oid: "t.oid")
                let scoped = query
                responder.answer(missing: "no report") { try desk.csatReport(scoped) }
            }
        }
    }
}
