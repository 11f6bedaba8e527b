import Messaging
/// The WhatsApp list that asks a customer which outlet their ticket is about, and the row ids their pick comes back
/// with (`outlet:<ticket-id>:<oid>`, in the `list_reply` of ``InboundMessage/interactive``).
///
/// Rows are the candidate outlets by name (then OID): title = the outlet's name, description = `<OID> · <franchise>`,
/// each cut to the Cloud API's limit with `…`. The Cloud API takes ten rows; with more candidates the first ten by
/// name are offered and the footer says how many there are (an agent links the others by hand).
///
/// The words around the rows are data (`texts/outlet_choice_list.json` in the template folder, English and Malay):
/// `body`, `button` and `footer_partial` (`{{1}}` offered of `{{2}}` candidates).
public enum OutletChoiceList {
    public static let texts = WhatsAppTextSet(name: "outlet_choice_list",
                                              fields: ["body": 0, "button": 0, "footer_partial": 2])

    /// What a list-reply row id says.
    public enum Reply: Sendable, Equatable {
        /// Not an outlet choice (another list's row): not ours to judge.
        case other
        /// Starts like an outlet choice but does not parse.
        case malformed
        case choice(ticketID: Int64, oid: String)
    }

    static let rowPrefix = "outlet:"

    /// The list for ticket `ticketID` in the language of `texts`, and the outlets it offers (at most ten, in row
    /// order).
    public static func message(ticketID: Int64, candidates: [OutletRecord],
                               texts: WhatsAppTexts) -> (list: WhatsAppListMessage, offered: [OutletRecord]) {
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
            ? texts.text("footer_partial", String(offered.count), String(sorted.count)) : nil
        return (WhatsAppListMessage(body: texts.text("body"), footer: footer, button: texts.text("button"), rows: rows),
                offered)
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
