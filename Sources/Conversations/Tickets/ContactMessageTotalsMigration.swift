import Storage

/// Migration 41: published for segmentation (through CRM's `contact_tickets`):
/// - `contact_message_totals (contact_id, from_customer, to_customer)` — how many messages each contact wrote and
///   was sent on their conversation tickets;
/// - `contact_reply_totals (contact_id, sent, replied, response_minutes_avg)` — of the messages sent to the contact,
///   how many they answered directly (the next message on the conversation is theirs) and how long they took to,
///   on average, in minutes.
enum ContactMessageTotalsMigration {
    static let migration = Migration(version: 41, name: "contact message totals view", sql: """
        CREATE VIEW contact_message_totals AS
            SELECT t.contact_id, sum(m.direction = 'in') AS from_customer, sum(m.direction = 'out') AS to_customer
            FROM ticket_messages m JOIN contact_tickets t ON t.ticket_id = m.ticket_id GROUP BY t.contact_id;
        CREATE VIEW contact_reply_totals AS
            SELECT t.contact_id, count(*) AS sent, sum(r.next_direction IS 'in') AS replied,
                   avg(CASE WHEN r.next_direction = 'in' THEN (r.next_at - r.sent_at) / 60000.0 END)
                       AS response_minutes_avg
            FROM (SELECT m.ticket_id, coalesce(m.sent_at, m.created_at) AS sent_at, n.direction AS next_direction,
                         n.created_at AS next_at
                  FROM ticket_messages m
                  LEFT JOIN ticket_messages n ON n.id = (SELECT min(x.id) FROM ticket_messages x
                                                         WHERE x.ticket_id = m.ticket_id AND x.id > m.id)
                  WHERE m.direction = 'out') r
            JOIN contact_tickets t ON t.ticket_id = r.ticket_id GROUP BY t.contact_id;
        """, postgres: .replacing(PostgresCounts.booleanSums(["m.direction = 'in'", "m.direction = 'out'"]) + [
            .init("sum(r.next_direction IS 'in')", with: "sum((r.next_direction IS NOT DISTINCT FROM 'in')::int)"),
        ]))
}
