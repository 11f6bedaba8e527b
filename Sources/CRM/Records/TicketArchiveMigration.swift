import Storage

/// Migration 51: a conversation ticket is archived (`archived_at`, unix ms) once the window in which a customer's
/// message would reopen it has passed; archived tickets are read-only and leave the default lists.
enum TicketArchiveMigration {
    static let migration = Migration(version: 51, name: "ticket archive", sql: """
        ALTER TABLE tickets ADD COLUMN archived_at INTEGER;
        CREATE INDEX tickets_to_archive ON tickets (status)
            WHERE archived_at IS NULL AND channel IS NOT NULL AND status IN ('resolved', 'closed');
        """)
}
