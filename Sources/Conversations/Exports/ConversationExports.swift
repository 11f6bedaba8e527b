import Access
import Storage

/// The conversation exports: `ticket-messages.csv` (every message of the thread, customer's and agents', by when it
/// was filed) and `csat.csv` (every survey sent within the period with its answer, if any). Both are scoped by their
/// ticket's franchise and outlet, read through the records module's `ticket_outlet_links` view.
package enum ConversationExports {
    package static func tables(database: any Database) -> [any ExportTable] {
        [messages(database), csat(database)]
    }

    static func messages(_ database: any Database) -> any ExportTable {
        KeysetExport(
            kind: "ticket-messages", timeColumn: "created_at",
            columns: [("id", .number), ("ticket_id", .number), ("direction", .text), ("type", .text),
                      ("text", .text), ("caption", .text), ("media_id", .text), ("sender", .text),
                      ("sent_at", .time), ("created_at", .time)],
            select: { sql in """
                SELECT m.id, m.ticket_id, m.direction, m.type, m.text, m.caption, m.media_id, m.sender, m.sent_at,
                       m.created_at
                FROM ticket_messages m JOIN ticket_outlet_links l ON l.ticket_id = m.ticket_id
                WHERE \(sql.unindexed("m.created_at")) >= ? AND \(sql.unindexed("m.created_at")) < ?
                """ },
            bounds: KeysetExport.instants, key: "m.id", outlet: (fid: "l.fid", oid: "l.oid"), database: database)
    }

    static func csat(_ database: any Database) -> any ExportTable {
        KeysetExport(
            kind: "csat", timeColumn: "sent_at",
            columns: [("survey_id", .number), ("ticket_id", .number), ("resolution", .number), ("assignee", .text),
                      ("sent_at", .time), ("expires_at", .time), ("rating", .number), ("source", .text),
                      ("comment", .text), ("responded_at", .time)],
            select: { sql in """
                SELECT s.id, s.ticket_id, s.resolution, s.assignee, s.sent_at, s.expires_at, r.rating, r.source,
                       r.comment, r.responded_at
                FROM csat_surveys s JOIN ticket_outlet_links l ON l.ticket_id = s.ticket_id
                LEFT JOIN csat_response r ON r.survey_id = s.id
                WHERE \(sql.unindexed("s.sent_at")) >= ? AND \(sql.unindexed("s.sent_at")) < ?
                """ },
            bounds: KeysetExport.instants, key: "s.id", outlet: (fid: "l.fid", oid: "l.oid"), database: database)
    }
}
