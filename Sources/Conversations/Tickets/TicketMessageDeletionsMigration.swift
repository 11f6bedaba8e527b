import Storage

/// Migration 25: the words of messages their sender deleted, kept for the audit until retention purges them.
enum TicketMessageDeletionsMigration {
    static let migration = Migration(version: 25, name: "deleted ticket message words", sql: """
        -- One row per deleted ticket message: what it said, and when it was deleted (unix ms). Emptied by the retention
        -- purge after tickets.deleted_message_retention; the thread and the ticket's history never show the words.
        CREATE TABLE ticket_message_deletions (
            ticket_message_id INTEGER PRIMARY KEY REFERENCES ticket_messages (id),
            ticket_id INTEGER NOT NULL,
            wa_message_id TEXT NOT NULL,
            text TEXT,
            caption TEXT,
            deleted_at INTEGER NOT NULL
        );
        CREATE INDEX ticket_message_deletions_by_time ON ticket_message_deletions (deleted_at);
        """)
}
