import Storage

/// Migration 52: what the desk's figures read of conversation tickets — one row per ticket that is not deleted, with
/// the columns that place it (outlet, queue, category, agent, channel) and the times its figures come from.
enum TicketFiguresMigration {
    static let migration = Migration(version: 52, name: "ticket figures view", sql: """
        CREATE VIEW ticket_figures AS
            SELECT id AS ticket_id, created_at, status, kind, queue, category, assignee, fid, oid, channel,
                   first_response_at, first_response_due_at, resolved_at, resolution_due_at, closed_at, reopen_count,
                   reopened_at
            FROM tickets WHERE channel IS NOT NULL AND deleted_at IS NULL;
        """)
}
