import Storage

/// Migration 40: more of each contact's tickets and deals for segmentation.
/// - `contact_ticket_totals` counts a customer's message as activity on their ticket (`last_ticket_update_at`,
///   `last_conversation_at`: the later of the ticket's last change and the customer's last message), and gains `first_ticket_at`, `first_conversation_at`, `resolve_hours_avg` (over resolved
///   tickets), `breached_tickets` (tickets with any SLA breach) and `repeat_issue` (1 when a category was raised
///   again, 0 when none was; null without categorised tickets);
/// - `customer_tickets (customer_id, status, pipeline, stage, owner, assignee, priority, sla_status, channel,
///   created_at)`, the same of conversation tickets (with a channel) as `customer_conversations (customer_id, status,
///   assignee, channel, created_at)`, and `customer_deals (customer_id, pipeline, stage, owner, priority, created_at)`: one row per live
///   record of a live customer, for conditions any of a customer's records may meet.
enum CustomerRecordViewsMigration {
    static let migration = Migration(version: 40, name: "customer record views", sql: """
        DROP VIEW contact_ticket_totals;
        CREATE VIEW contact_ticket_totals AS
            SELECT contact_id, count(*) AS tickets,
                   sum(channel = 'whatsapp') AS conversations,
                   sum(resolved_at IS NOT NULL) AS resolved,
                   sum((first_response_breached_at IS NOT NULL) + (resolution_breached_at IS NOT NULL)) AS sla_breaches,
                   sum(first_response_breached_at IS NOT NULL OR resolution_breached_at IS NOT NULL) AS breached_tickets,
                   max(max(updated_at, coalesce(last_customer_message_at, 0))) AS last_ticket_update_at,
                   max(CASE WHEN channel = 'whatsapp' THEN max(updated_at, coalesce(last_customer_message_at, 0))
                       END) AS last_conversation_at,
                   min(created_at) AS first_ticket_at,
                   min(CASE WHEN channel = 'whatsapp' THEN created_at END) AS first_conversation_at,
                   avg(CASE WHEN resolved_at IS NOT NULL THEN (resolved_at - created_at) / 3600000.0 END) AS resolve_hours_avg,
                   CASE WHEN count(category) > 0 THEN count(category) > count(DISTINCT category) END AS repeat_issue
            FROM tickets WHERE deleted_at IS NULL AND contact_id IS NOT NULL GROUP BY contact_id;
        CREATE VIEW customer_tickets AS
            SELECT p.customer_id, t.status, t.pipeline, t.stage, t.owner, t.assignee, t.priority, t.sla_status,
                   t.channel, t.created_at
            FROM tickets t JOIN customer_profiles p ON p.contact_id = t.contact_id WHERE t.deleted_at IS NULL;
        CREATE VIEW customer_conversations AS
            SELECT customer_id, status, assignee, channel, created_at FROM customer_tickets WHERE channel IS NOT NULL;
        CREATE VIEW customer_deals AS
            SELECT p.customer_id, d.pipeline, d.stage, d.owner, d.priority, d.created_at
            FROM deals d JOIN customer_profiles p ON p.contact_id = d.contact_id WHERE d.deleted_at IS NULL;
        """, postgres: .replacing([
            // Segments' audience view reads this one, so PostgreSQL replaces it in place, which it allows when the
            // earlier columns stay first: the new ones follow them.
            .init(from: "DROP VIEW contact_ticket_totals;", through: "GROUP BY contact_id;", with: """
                CREATE OR REPLACE VIEW contact_ticket_totals AS
                    SELECT contact_id, count(*) AS tickets,
                           sum((channel = 'whatsapp')::int) AS conversations,
                           sum((resolved_at IS NOT NULL)::int) AS resolved,
                           sum((first_response_breached_at IS NOT NULL)::int
                               + (resolution_breached_at IS NOT NULL)::int) AS sla_breaches,
                           max(GREATEST(updated_at, coalesce(last_customer_message_at, 0))) AS last_ticket_update_at,
                           max(CASE WHEN channel = 'whatsapp'
                                    THEN GREATEST(updated_at, coalesce(last_customer_message_at, 0)) END)
                               AS last_conversation_at,
                           sum((first_response_breached_at IS NOT NULL OR resolution_breached_at IS NOT NULL)::int)
                               AS breached_tickets,
                           min(created_at) AS first_ticket_at,
                           min(CASE WHEN channel = 'whatsapp' THEN created_at END) AS first_conversation_at,
                           avg(CASE WHEN resolved_at IS NOT NULL THEN (resolved_at - created_at) / 3600000.0 END)
                               AS resolve_hours_avg,
                           CASE WHEN count(category) > 0 THEN (count(category) > count(DISTINCT category))::int END
                               AS repeat_issue
                    FROM tickets WHERE deleted_at IS NULL AND contact_id IS NOT NULL GROUP BY contact_id;
                """),
        ]))
}
