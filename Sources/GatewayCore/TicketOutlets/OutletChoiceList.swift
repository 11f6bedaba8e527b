/// The WhatsApp list that asks a customer which outlet their ticket is about, and the row ids their pick comes back
/// with (`outlet:<ticket-id>:<oid>`, in the `list_reply` of ``InboundMessage/interactive``).
///
/// Rows are the candidate outlets by name (then OID): title = the outlet's name, description = `<OID> · <franchise>`,
/// each cut to the Cloud API's limit with `…`. The Cloud API takes ten rows; with more candidates the first ten by
/// name are offered and the footer says how many there are (an agent links the others by hand).
public enum OutletChoiceList {
    public static let body = "Your number is registered with more than one outlet. Which outlet is this about?"
    public static let button = "Choose outlet"

    /// What a list-reply row id says.
    public enum Reply: Sendable, Equatable {
        /// Not an outlet choice (another list's row): not ours to judge.
        case other
        /// Starts like an outlet choice but does not parse.
        case malformed
        case choice(ticketID: Int64, oid: String)
    }

    static let rowPrefix = "outlet:"

    /// The list for ticket `ticketID` and the outlets it offers (at most ten, in row order).
    public static func message(ticketID: Int64,
                               candidates: [OutletRecord]) -> (list: WhatsAppListMessage, offered: [OutletRecord]) {
        let sorted = candidates.sorted { ($0.name.lowercased(), $0.oid) < ($1.name.lowercased(), $1.oid) }
        let offered = Array(sorted.prefix(WhatsAppListMessage.Limit.rows))
        let rows = offered.map { outlet in
            WhatsAppListMessage.Row(
                id: "\(rowPrefix)\(ticketID):\(outlet.oid)",
                title: clipped(outlet.name, to: WhatsAppListMessage.Limit.rowTitle),
                description: clipped("\(outlet.oid) · \(outlet.franchiseName)",
                                     to: WhatsAppListMessage.Limit.rowDescription))
        }
        let footer = offered.count < sorted.count
            ? "\(offered.count) of \(sorted.count) outlets shown. Not listed? Just reply." : nil
        return (WhatsAppListMessage(body: body, footer: footer, button: button, rows: rows), offered)
    }

    /// Reads a list-reply row id.
    public static func reply(rowID: String) -> Reply {
        guard rowID.hasPrefix(rowPrefix) else { return .other }
        let rest = rowID.dropFirst(rowPrefix.count)
        // The OID may itself hold ':' (a POS id character), so only the first separator splits.
        guard let colon = rest.firstIndex(of: ":"), let ticketID = Int64(rest[..<colon]), ticketID > 0,
              let oid = OutletFieldRules.id(String(rest[rest.index(after: colon)...])),
              oid == String(rest[rest.index(after: colon)...])
        else { return .malformed }
        return .choice(ticketID: ticketID, oid: oid)
    }

    /// `text`, or its first `limit - 1` characters (without trailing spaces) and `…`.
    static func clipped(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        var head = text.prefix(limit - 1)
        while head.last?.isWhitespace == true { head = head.dropLast() }
        return head + "…"
    }
}
