/// How far contact → outlet resolution got for a ticket (`tickets.outlet_status`).
public enum TicketOutletStatus: String, Sendable, CaseIterable {
    /// No outlet yet: the phone matched none, the sender has no phone, or nothing was tried. Agents link these
    /// by hand; a later customer message tries again.
    case unlinked
    /// `fid` / `oid` are set.
    case linked
    /// Several outlets list the customer's phone: they were asked to choose (WhatsApp list).
    case ambiguous

    /// `unlinked, linked, ambiguous`, for messages.
    public static let names = allCases.map(\.rawValue).joined(separator: ", ")
}
