import Storage

/// Migration 38: `segment_audience (segment_id, customer_id, contact_id, full_name, whatsapp_address, has_email,
/// marketing_withdrawn)`, every member of every segment with how they can be reached — what the detail's reachability
/// counts and a campaign sends to, published as a view so neither names the membership table. `whatsapp_address`
/// is the member's phone (else BSUID) when they also have a conversation (the seeds' WhatsApp reachability), null
/// otherwise; with several phones, the lowest, so the same member always gets the same address.
enum SegmentAudienceMigration {
    static let migration = Migration(version: 38, name: "segment audience view", sql: """
        CREATE VIEW segment_audience AS
            SELECT m.segment_id, m.customer_id, p.contact_id, p.full_name,
                CASE WHEN tt.conversations > 0 THEN coalesce(
                    (SELECT min(v.value) FROM customer_identifier_values v
                     WHERE v.customer_id = m.customer_id AND v.kind = 'phone'),
                    (SELECT min(v.value) FROM customer_identifier_values v
                     WHERE v.customer_id = m.customer_id AND v.kind = 'bsuid')) END AS whatsapp_address,
                EXISTS (SELECT 1 FROM customer_identifier_values v
                        WHERE v.customer_id = m.customer_id AND v.kind = 'email') AS has_email,
                coalesce(mc.opted_in = 0, 0) AS marketing_withdrawn
            FROM segment_members m
            JOIN customer_profiles p ON p.customer_id = m.customer_id
            LEFT JOIN contact_ticket_totals tt ON tt.contact_id = p.contact_id
            LEFT JOIN customer_marketing_consent mc ON mc.customer_id = m.customer_id;
        """, postgres: .replacing([
            // 1 or 0 as on SQLite, not PostgreSQL's booleans.
            .init("v.kind = 'email') AS has_email", with: "v.kind = 'email')::int AS has_email"),
            .init("coalesce(mc.opted_in = 0, 0)", with: "coalesce((mc.opted_in = 0)::int, 0)"),
        ]))
}
