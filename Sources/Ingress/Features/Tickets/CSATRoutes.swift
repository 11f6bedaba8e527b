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
            switch CSATReportQuery.parse(request.http.query, now: clock()) {
            case .failure(let error): responder.problem(error)
            case .success(let query): responder.answer(missing: "no report") { try desk.csatReport(query) }
            }
        }
    }
}
