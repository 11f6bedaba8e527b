import Storage

/// The tables this module owns: campaigns sent to a segment and one row per member they were meant for, and the
/// view segments read the campaigns a customer received through.
public enum CampaignsSchema {
    public static let migrations: [Migration] = [
        Migration(version: 39, name: "segment campaigns", sql: """
            -- A WhatsApp template sent to a segment's members. status: sending (recipients still pending), sent
            -- (every recipient queued or skipped), cancelled. variables: the API's JSON (what fills each parameter).
            -- request: the request as given, compared when its idempotency key comes again.
            CREATE TABLE campaigns (
                id INTEGER PRIMARY KEY,
                segment_id INTEGER NOT NULL,
                name TEXT NOT NULL,
                channel TEXT NOT NULL DEFAULT 'whatsapp',
                template TEXT NOT NULL,
                language TEXT,
                variables TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'cancelled')),
                members INTEGER NOT NULL,
                idempotency_key TEXT UNIQUE,
                request TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                finished_at INTEGER
            );
            CREATE INDEX campaigns_by_segment ON campaigns (segment_id, id);
            CREATE INDEX campaigns_sending ON campaigns (id) WHERE status = 'sending';
            -- One member of the audience. outcome: pending (to queue), skipped (reason: no_whatsapp,
            -- consent_withdrawn, missing_variable, template_not_sendable, ...), cancelled, then the message's way:
            -- queued, sent, delivered, read, replied, failed (reason). Times in unix ms.
            CREATE TABLE campaign_recipients (
                campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
                customer_id INTEGER NOT NULL,
                address TEXT,
                outcome TEXT NOT NULL,
                reason TEXT,
                message_id INTEGER,
                sent_at INTEGER,
                delivered_at INTEGER,
                read_at INTEGER,
                replied_at INTEGER,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (campaign_id, customer_id)
            ) WITHOUT ROWID;
            CREATE INDEX campaign_recipients_pending ON campaign_recipients (campaign_id, customer_id)
                WHERE outcome = 'pending';
            CREATE INDEX campaign_recipients_by_customer ON campaign_recipients (customer_id, sent_at);
            CREATE INDEX campaign_recipients_by_message ON campaign_recipients (message_id) WHERE message_id IS NOT NULL;
            -- What segments filter on: every campaign message sent to a customer (queued counts as sent).
            CREATE VIEW customer_campaign_messages AS
                SELECT r.customer_id, c.name, c.channel,
                    CASE r.outcome WHEN 'queued' THEN 'sent' ELSE r.outcome END AS status,
                    r.sent_at, r.read_at, r.replied_at
                FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
                WHERE r.sent_at IS NOT NULL;
            """),
    ]
}
