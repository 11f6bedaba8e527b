import Access
import GatewayKit
import HTTPServer

/// `GET /v1/audit` (`audit.read`): the audit log, newest first, filtered and paged as ``AuditQuery`` says; bad
/// parameters → 400 naming each.
struct AuditRoutes {
    let log: AuditLog
    /// Unix milliseconds, anchoring `from`/`to` durations such as `7d`.
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (log, clock) = (self.log, self.clock)
        router.add("GET", "/v1/audit", .requires(.auditRead)) { request, responder in
            switch AuditQuery.parse(request.http.query, now: clock()) {
            case .failure(let error): responder.problem(error)
            case .success(let query): responder.answer(missing: "") { try log.page(query) }
            }
        }
    }
}
