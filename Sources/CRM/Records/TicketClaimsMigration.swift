import Storage

/// Migration 44: a conversation ticket's soft claim — who is handling it (`claimed_by`, an actor name) and until when
/// (`claimed_until`, unix ms). A claim is held while `claimed_until` is in the future. Also the index of agents' open
/// tickets that assignment reads.
enum TicketClaimsMigration {
    static let migration = Migration(version: 44, name: "ticket claims", sql: """
        ALTER TABLE tickets ADD COLUMN claimed_by TEXT;
        ALTER TABLE tickets ADD COLUMN claimed_until INTEGER;
        -- What each agent has open, for assignment by the fewest open tickets and for handing tickets on.
        CREATE INDEX tickets_open_by_assignee ON tickets (assignee)
            WHERE status IN ('open', 'pending') AND channel IS NOT NULL AND deleted_at IS NULL;
        """)
}
