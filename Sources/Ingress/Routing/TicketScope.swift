import Access
import CRM
import Delivery
import Dispatch
import GatewayKit
import Storage

/// Tickets outside a caller's franchise/outlet scope do not exist for that caller: every ticket route checks the
/// ticket's `fid`/`oid` against the caller's scope first and answers 404 — the same answer as for an unknown ticket,
/// so existence does not leak. A ticket not yet linked to an outlet is visible only to unrestricted callers.
struct TicketScope: Sendable {
    let records: RecordDirectory

    /// Runs `proceed` when ticket `id` is inside `caller`'s scope (or does not exist: the route's own 404 follows);
    /// otherwise answers 404. Unrestricted callers proceed at once, without a read.
    func check(_ id: Int64, for caller: Caller, _ responder: Responder,
               then proceed: @escaping @Sendable () -> Void) {
        let scope = caller.principal.scope
        guard !scope.isUnrestricted else { return proceed() }
        DispatchQueue.global().async { [records] in
            do {
                guard let ticket = try records.record(.ticket, id: id) else { return proceed() }
                guard scope.covers(fid: ticket.workflow["fid"]?.stringValue, oid: ticket.workflow["oid"]?.stringValue)
                else { return responder.problem(.notFound("no ticket with id \(id)")) }
                proceed()
            } catch {
                responder.problem(GatewayError.storage(error))
            }
        }
    }

    /// The listing condition of `caller`'s scope on the tickets table; nil when unrestricted.
    static func listing(for caller: Caller) -> SQLCondition? {
        caller.principal.scope.condition(fid: "fid", oid: "oid")
    }
}
