import CRM
import GatewayKit
import Storage

/// Collision control on a conversation ticket, checked inside the transaction of every change made through the
/// API: the ticket must not be archived (409: read-only), the caller's `If-Match` version must still be the ticket's
/// (else 412 with the current one), and nobody else may hold its claim (else 409 naming the holder). A change by the claim's holder renews the claim; every change
/// counts as a new version of the ticket, so the next stale write is caught.
public struct TicketGuard: Sendable, Equatable {
    /// The version the caller last saw (`If-Match`); nil = no check.
    public let expectedVersion: Int64?
    /// Who is changing the ticket (the credential's name).
    public let actor: String
    /// How long a claim lasts from its holder's latest change (`tickets.claim_duration`).
    public let claimMilliseconds: Int64

    public init(expectedVersion: Int64?, actor: String, claimMilliseconds: Int64) {
        self.expectedVersion = expectedVersion
        self.actor = actor
        self.claimMilliseconds = claimMilliseconds
    }

    /// The ticket's version, once the change may go ahead.
    /// - Throws: ``GatewayError/notFound(_:)``, ``GatewayError/staleVersion(current:)``,
    ///   ``GatewayError/claimedByAnother(holder:until:)``.
    @discardableResult
    public func check(_ ticketID: Int64, now: Int64, in c: any DatabaseConnection) throws -> Int64 {
        guard let ticket = try ConversationTicketTable.guardState(ticketID, in: c) else {
            throw GatewayError.notFound("no ticket with id \(ticketID)")
        }
        if ticket.archivedAt != nil {
            throw GatewayError.conflict("ticket \(ticketID) is archived: it is read-only (the customer's next message "
                                        + "opens a new ticket)")
        }
        if let expectedVersion, expectedVersion != ticket.version {
            throw GatewayError.staleVersion(current: ticket.version)
        }
        if let holder = ticket.claimedBy, holder != actor, let until = ticket.claimedUntil, until > now {
            throw GatewayError.claimedByAnother(holder: holder, until: until)
        }
        return ticket.version
    }

    /// After a change: counts it as one new version of the ticket unless what it wrote already did (a workflow move
    /// saves the ticket; a note or a reply alone does not), and renews the claim when the actor holds it.
    /// - Parameter version: the ticket's version before the change (``check(_:now:in:)``).
    public func changed(_ ticketID: Int64, from version: Int64, now: Int64, in c: any DatabaseConnection) throws {
        try ConversationTicketTable.counted(ticketID, from: version, by: actor, now: now,
                                           renewedUntil: now + claimMilliseconds, in: c)
    }
}
