import Storage

/// The views through which CRM and the modules above it read each other's data instead of naming a table they do not
/// own:
/// - `outlet_labels (oid, name)`: the names of outlets, shown as a linked ticket's `outlet_name`. CRM declares it
///   (empty, so CRM works on its own) and the module that keeps outlets replaces it with a view over its own table,
///   so a renamed outlet shows at once on every ticket, also on one whose `oid` a bot set.
/// - `ticket_outlet_links (ticket_id, fid, oid)`: the franchise and outlet each ticket is linked to now, published
///   for reports above CRM (CSAT by outlet).
/// - `contact_ticket_outlets (contact_id, fid, oid)` (migration 28): the outlets a contact's live tickets are linked
///   to, published for access checks (which contacts a caller scoped to some outlets may see).
/// - `contact_tickets (ticket_id, contact_id)` (migration 28): every ticket of a contact, deleted ones too, published
///   for subject-access exports and erasures.
enum CRMViewsMigration {
    static let migration = Migration(version: 16, name: "views CRM reads and publishes", sql: """
        CREATE VIEW outlet_labels AS SELECT CAST(NULL AS TEXT) AS oid, CAST(NULL AS TEXT) AS name WHERE 1 = 0;
        CREATE VIEW ticket_outlet_links AS SELECT id AS ticket_id, fid, oid FROM tickets;
        """)
}

/// Migration 28: `contact_ticket_outlets` and `contact_tickets`, see ``CRMViewsMigration``.
enum ContactTicketOutletsMigration {
    static let migration = Migration(version: 28, name: "contact ticket views", sql: """
        CREATE VIEW contact_ticket_outlets AS
            SELECT contact_id, fid, oid FROM tickets WHERE deleted_at IS NULL AND contact_id IS NOT NULL;
        CREATE VIEW contact_tickets AS SELECT id AS ticket_id, contact_id FROM tickets WHERE contact_id IS NOT NULL;
        """)
}

/// Migration 33: per-contact totals of deals and tickets, published for segmentation (computed when read, so always
/// current):
/// - `contact_ticket_totals (contact_id, tickets, conversations, resolved, sla_breaches, last_ticket_update_at,
///   last_conversation_at)` over live tickets (`conversations`: WhatsApp conversation tickets; times unix ms);
/// - `contact_deal_totals (contact_id, deals, total_size)` over live deals.
enum ContactTotalsMigration {
    static let migration = Migration(version: 33, name: "contact totals views", sql: """
        CREATE VIEW contact_ticket_totals AS
            SELECT contact_id, count(*) AS tickets,
                   sum(channel = 'whatsapp') AS conversations,
                   sum(resolved_at IS NOT NULL) AS resolved,
                   sum((first_response_breached_at IS NOT NULL) + (resolution_breached_at IS NOT NULL)) AS sla_breaches,
                   max(updated_at) AS last_ticket_update_at,
                   max(CASE WHEN channel = 'whatsapp' THEN updated_at END) AS last_conversation_at
            FROM tickets WHERE deleted_at IS NULL AND contact_id IS NOT NULL GROUP BY contact_id;
        CREATE VIEW contact_deal_totals AS
            SELECT contact_id, count(*) AS deals, sum(size) AS total_size
            FROM deals WHERE deleted_at IS NULL AND contact_id IS NOT NULL GROUP BY contact_id;
        """, postgres: .replacing(PostgresCounts.booleanSums([
            "channel = 'whatsapp'", "resolved_at IS NOT NULL",
        ]) + [
            .init("sum((first_response_breached_at IS NOT NULL) + (resolution_breached_at IS NOT NULL))", with: """
                sum((first_response_breached_at IS NOT NULL)::int + (resolution_breached_at IS NOT NULL)::int)
                """),
        ]))
}
