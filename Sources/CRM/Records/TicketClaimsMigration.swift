import Storage

/// Migration 44: a conversation ticket's soft claim — who is handling it (`claimed_by`, an actor name) and until when
/// (`claimed_until`, unix ms). A claim is held while `claimed_until` is in the future.
enum TicketClaimsMigration {
    static let migration = Migration(version: 44, name: "ticket claims", sql: """
        ALTER TABLE tickets ADD COLUMN claimed_by TEXT;
        ALTER TABLE tickets ADD COLUMN claimed_until INTEGER;
        """)
}
