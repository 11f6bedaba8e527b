import Storage

/// Migration 43: a conversation ticket keeps the business number it came in on (`channel_account`: WhatsApp's
/// `phone_number_id`), and `customer_conversations` publishes it as `account`, so segments can pick customers by the
/// number they talk to.
enum ConversationAccountMigration {
    static let migration = Migration(version: 43, name: "conversation account", sql: """
        ALTER TABLE tickets ADD COLUMN channel_account TEXT;
        DROP VIEW customer_conversations;
        CREATE VIEW customer_conversations AS
            SELECT p.customer_id, t.status, t.assignee, t.channel, t.channel_account AS account, t.created_at
            FROM tickets t JOIN customer_profiles p ON p.contact_id = t.contact_id
            WHERE t.deleted_at IS NULL AND t.channel IS NOT NULL;
        """)
}
