import Storage

/// Migration 41: `contact_message_totals (contact_id, from_customer, to_customer)` — how many messages each contact
/// wrote and was sent on their conversation tickets, published for segmentation (through CRM's `contact_tickets`).
enum ContactMessageTotalsMigration {
    static let migration = Migration(version: 41, name: "contact message totals view", sql: """
        CREATE VIEW contact_message_totals AS
            SELECT t.contact_id, sum(m.direction = 'in') AS from_customer, sum(m.direction = 'out') AS to_customer
            FROM ticket_messages m JOIN contact_tickets t ON t.ticket_id = m.ticket_id GROUP BY t.contact_id;
        """)
}
