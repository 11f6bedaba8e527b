import CRM
import GatewayKit
import Storage

/// Soft claims on conversation tickets: "being handled by X" for `tickets.claim_duration`, so two agents do not
/// answer one customer at once. The holder renews it by claiming again (or by any change they make); a claim that
/// ran out is free for anyone. Only an admin takes over another's claim, explicitly, and that is recorded in the
/// ticket history. Claims and releases go in the history too.
public enum TicketClaims {
    /// Claims ticket `id` for `ticketGuard.actor` for its `claimMilliseconds`.
    /// - Parameter takeOver: an admin taking another's live claim; anyone else gets 409 naming the holder.
    public static func claim(_ id: Int64, _ ticketGuard: TicketGuard, takeOver: Bool, mayTakeOver: Bool, now: Int64,
                             in c: any DatabaseConnection) throws {
        let holder = try ConversationTicketTable.claimHolder(id, now: now, in: c)
        do {
            try ticketGuard.check(id, now: now, in: c)
        } catch GatewayError.claimedByAnother(let other, let until) {
            guard takeOver, mayTakeOver else { throw GatewayError.claimedByAnother(holder: other, until: until) }
        }
        try ConversationTicketTable.setClaim(id, holder: ticketGuard.actor, until: now + ticketGuard.claimMilliseconds,
                                             in: c)
        if holder != ticketGuard.actor {
            try TicketHistory.record(id, at: now, actor: ticketGuard.actor,
                                     action: holder == nil ? "claimed" : "claim_taken_over", from: holder,
                                     to: ticketGuard.actor, in: c)
        }
    }

    /// Ends the claim of `ticketGuard.actor` (or, for an admin, anyone's); nothing to release is fine.
    public static func release(_ id: Int64, _ ticketGuard: TicketGuard, mayTakeOver: Bool, now: Int64,
                               in c: any DatabaseConnection) throws {
        let holder = try ConversationTicketTable.claimHolder(id, now: now, in: c)
        do {
            try ticketGuard.check(id, now: now, in: c)
        } catch GatewayError.claimedByAnother(let other, let until) {
            guard mayTakeOver else { throw GatewayError.claimedByAnother(holder: other, until: until) }
        }
        guard let holder else { return }
        try ConversationTicketTable.setClaim(id, holder: nil, until: nil, in: c)
        try TicketHistory.record(id, at: now, actor: ticketGuard.actor, action: "claim_released", from: holder, in: c)
    }
}
