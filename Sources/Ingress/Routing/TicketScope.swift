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
        responder.unlessHidden(missing: "no ticket with id \(id)", then: proceed) { [records] in
            guard let ticket = try records.record(.ticket, id: id) else { return true }
            return scope.covers(fid: ticket.workflow["fid"]?.stringValue, oid: ticket.workflow["oid"]?.stringValue)
        }
    }

    /// Whether ticket `id` exists and is inside `caller`'s scope (an unrestricted caller sees every ticket without a
    /// read). Blocking read, for checks made together with other reads off the request thread.
    func isVisible(_ id: Int64, to caller: Caller) throws -> Bool {
        let scope = caller.principal.scope
        guard !scope.isUnrestricted else { return true }
        guard let ticket = try records.record(.ticket, id: id) else { return false }
        return scope.covers(fid: ticket.workflow["fid"]?.stringValue, oid: ticket.workflow["oid"]?.stringValue)
    }

    /// The listing condition of `caller`'s scope on the tickets table; nil when unrestricted.
    static func listing(for caller: Caller) -> SQLCondition? {
        caller.principal.scope.condition(fid: "fid", oid: "oid")
    }
}

extension Responder {
    /// Runs `isVisible` — a blocking read — off the request thread, then `proceed` when it says the record may be
    /// seen, or answers 404 `missing` when it may not (a failed read is a 503). Scoped callers' checks, one shape for
    /// every kind of record.
    func unlessHidden(missing: String, then proceed: @escaping @Sendable () -> Void,
                      _ isVisible: @escaping @Sendable () throws -> Bool) {
        DispatchQueue.global().async {
            do {
                guard try isVisible() else { return self.problem(.notFound(missing)) }
                proceed()
            } catch {
                self.problem(GatewayError.storage(error))
            }
        }
    }
}
