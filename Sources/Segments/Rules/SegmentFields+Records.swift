import Storage

/// The fields over a customer's records: their tickets and conversations, deals, messages and the campaigns sent to
/// them — totals and rates (one value per customer), and conditions any one record may meet (the seeds'
/// ANY-match), read through the views the owning modules publish.
extension SegmentFields {
    /// `column` of the customer's row in `view` (keyed by `contact_id`), or null without one.
    private static func ofContact(_ view: String, _ column: String) -> String {
        "(SELECT x.\(column) FROM \(view) x WHERE x.contact_id = p.contact_id)"
    }

    static let associations: [SegmentField] = [
        SegmentField("conversations.associated_at", "Conversation associated at", .date, SegmentOperator.date,
                     .column("tt.first_conversation_at")),
        SegmentField("conversations.status", "Conversation status", .text, SegmentOperator.text,
                     .association(view: "customer_conversations", column: "status")),
        SegmentField("conversations.assignee", "Conversation assignee", .text, SegmentOperator.text,
                     .association(view: "customer_conversations", column: "assignee")),
        SegmentField("conversations.channel", "Conversation channel", .text, SegmentOperator.text,
                     .association(view: "customer_conversations", column: "channel")),
        SegmentField("conversations.account", "Conversation account", .text, SegmentOperator.text,
                     .association(view: "customer_conversations", column: "account")),
        SegmentField("messages.from_customer", "Total messages sent by customer", .number, SegmentOperator.count,
                     .column("coalesce(\(ofContact("contact_message_totals", "from_customer")), 0)")),
        SegmentField("messages.reply_rate", "Reply rate", .percentage, SegmentOperator.percentage,
                     .column("(SELECT 100.0 * x.replied / x.sent FROM contact_reply_totals x WHERE x.contact_id = p.contact_id)")),
        SegmentField("messages.avg_customer_response_minutes", "Avg customer response time (minutes)", .number,
                     SegmentOperator.measure, .column(ofContact("contact_reply_totals", "response_minutes_avg"))),
        SegmentField("tickets.associated_at", "Ticket associated at", .date, SegmentOperator.date,
                     .column("tt.first_ticket_at")),
        SegmentField("tickets.sla_status", "Ticket SLA status", .text, SegmentOperator.text,
                     .association(view: "customer_tickets", column: "sla_status")),
        SegmentField("tickets.pipeline", "Ticket pipeline", .text, SegmentOperator.text,
                     .association(view: "customer_tickets", column: "pipeline")),
        SegmentField("tickets.stage", "Ticket stage", .text, SegmentOperator.text,
                     .association(view: "customer_tickets", column: "stage")),
        SegmentField("tickets.owner", "Ticket owner", .text, SegmentOperator.person,
                     .association(view: "customer_tickets", column: "owner")),
        SegmentField("tickets.assignee", "Ticket assignee", .text, SegmentOperator.person,
                     .association(view: "customer_tickets", column: "assignee")),
        SegmentField("tickets.priority", "Ticket priority", .text, SegmentOperator.text,
                     .association(view: "customer_tickets", column: "priority")),
        SegmentField("tickets.avg_time_to_resolve_hours", "Avg time to resolve (hours)", .number,
                     SegmentOperator.measure, .column("tt.resolve_hours_avg")),
        SegmentField("tickets.sla_breach_rate", "SLA breach rate", .percentage, [.greaterThan, .lessThan, .between],
                     .column("(100.0 * tt.breached_tickets / tt.tickets)")),
        SegmentField("tickets.repeat_issue", "Repeat issue flag", .boolean, SegmentOperator.boolean,
                     .column("tt.repeat_issue")),
        SegmentField("deals.won_rate", "Won rate", .percentage, SegmentOperator.percentage,
                     .column("(100.0 * dt.won / dt.deals)")),
        SegmentField("deals.lost_rate", "Lost rate", .percentage, SegmentOperator.percentage,
                     .column("(100.0 * dt.lost / dt.deals)")),
        SegmentField("deals.avg_time_to_conversion_days", "Avg time to conversion (days)", .number,
                     SegmentOperator.measure, .column("dt.conversion_days_avg")),
        SegmentField("deals.pipeline", "Deal pipeline", .text, SegmentOperator.text,
                     .association(view: "customer_deals", column: "pipeline")),
        SegmentField("deals.stage", "Deal stage", .text, SegmentOperator.text,
                     .association(view: "customer_deals", column: "stage")),
        SegmentField("deals.owner", "Deal owner", .text, SegmentOperator.person,
                     .association(view: "customer_deals", column: "owner")),
    ]

    /// The campaigns sent to the customer (`customer_campaign_messages`): how many reached them, and any-match
    /// conditions on each one's name, channel, status, send and reply time.
    static let campaigns: [SegmentField] = {
        let view = "customer_campaign_messages"
        func of(_ column: String) -> String {
            "(SELECT \(column) FROM \(view) cm WHERE cm.customer_id = p.customer_id)"
        }
        return [
            SegmentField("campaigns.total", "Total campaigns received", .number, SegmentOperator.number,
                         .column(of("count(*) FILTER (WHERE cm.status <> 'failed')"))),
            SegmentField("campaigns.name", "Received campaign name", .text, SegmentOperator.text,
                         .association(view: view, column: "name")),
            SegmentField("campaigns.sent_at", "Campaign sent at", .date, SegmentOperator.date,
                         .association(view: view, column: "sent_at")),
            SegmentField("campaigns.replied_at", "Campaign reply at", .date, SegmentOperator.date,
                         .association(view: view, column: "replied_at")),
            SegmentField("campaigns.channel", "Campaign channel", .text, SegmentOperator.text,
                         .association(view: view, column: "channel")),
            SegmentField("campaigns.status", "Campaign status", .text, SegmentOperator.text,
                         .association(view: view, column: "status")),
            SegmentField("campaigns.delivery_rate", "Campaign delivery rate", .percentage,
                         [.greaterThan, .lessThan, .between],
                         .column(of("""
                             100.0 * count(*) FILTER (WHERE cm.status IN ('delivered', 'read', 'replied'))
                                 / nullif(count(*), 0)
                             """))),
            SegmentField("campaigns.reply_rate", "Campaign reply rate", .percentage, SegmentOperator.percentage,
                         .column(of("100.0 * count(*) FILTER (WHERE cm.status = 'replied') / nullif(count(*), 0)"))),
            SegmentField("days_since_last_campaign_engagement", "Days since last campaign engagement", .number,
                         [.greaterThan, .lessThan, .between, .isEmpty, .isNotEmpty],
                         .column(daysSince(of("""
                             nullif(max(CASE WHEN coalesce(cm.read_at, 0) > coalesce(cm.replied_at, 0)
                                             THEN coalesce(cm.read_at, 0) ELSE coalesce(cm.replied_at, 0) END), 0)
                             """)))),
        ]
    }()
}
