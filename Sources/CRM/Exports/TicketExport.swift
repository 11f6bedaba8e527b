import Access
import Storage

/// `tickets.csv`: live tickets created within the period (deleted ones left out), one row each with the workflow's
/// columns as the API shows them; scoped by the ticket's own franchise and outlet.
package enum TicketExport {
    package static func table(database: any Database) -> any ExportTable {
        KeysetExport(
            kind: "tickets", timeColumn: "created_at",
            columns: [("id", .number), ("unique_id", .text), ("name", .text), ("status", .text), ("kind", .text),
                      ("category", .text), ("queue", .text), ("assignee", .text), ("priority", .text),
                      ("channel", .text), ("source", .text), ("contact_id", .text), ("fid", .text), ("oid", .text),
                      ("reopen_count", .number), ("created_at", .time), ("first_response_at", .time),
                      ("resolved_at", .time), ("closed_at", .time), ("first_response_due_at", .time),
                      ("resolution_due_at", .time), ("first_response_breached_at", .time),
                      ("resolution_breached_at", .time)],
            select: { sql in """
                SELECT id, unique_id, name, status, kind, category, queue, assignee, priority, channel, source,
                       contact_id, fid, oid, reopen_count, created_at, first_response_at, resolved_at, closed_at,
                       first_response_due_at, resolution_due_at, first_response_breached_at, resolution_breached_at
                FROM tickets
                WHERE deleted_at IS NULL AND \(sql.unindexed("created_at")) >= ? AND \(sql.unindexed("created_at")) < ?
                """ },
            bounds: KeysetExport.instants, key: "id", outlet: (fid: "fid", oid: "oid"), database: database)
    }
}
