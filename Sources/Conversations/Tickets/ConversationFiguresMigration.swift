import Storage

/// Migration 53: what the desk's figures read of conversations — the CSAT surveys of each ticket with their
/// ratings, the classifier keywords that matched a ticket's first message, and whether a lead ticket's onboarding is
/// booked.
enum ConversationFiguresMigration {
    static let migration = Migration(version: 53, name: "conversation figures views", sql: """
        CREATE VIEW ticket_csat_figures AS
            SELECT s.ticket_id, s.id AS survey_id, s.sent_at, r.rating
            FROM csat_surveys s LEFT JOIN csat_response r ON r.survey_id = s.id;
        CREATE VIEW ticket_keyword_figures AS
            SELECT h.ticket_id, k.value AS keyword
            FROM ticket_history h, json_each(h.detail, '$.matched') k
            WHERE h.action = 'opened' AND h.detail IS NOT NULL AND json_valid(h.detail);
        CREATE VIEW lead_figures AS
            SELECT l.ticket_id, l.source, o.status AS onboarding_status, o.created_at AS onboarding_booked_at
            FROM leads l LEFT JOIN onboarding_bookings o ON o.ticket_id = l.ticket_id;
        """, postgres: .replacing([
            // The matched keywords of a ticket's opening: json_each as the array's elements (a detail that is not
            // JSON, or has no array of matches, gives none).
            .init(from: "FROM ticket_history h, json_each", through: "json_valid(h.detail);", with: """
                FROM ticket_history h, jsonb_array_elements_text(CASE WHEN json_valid(h.detail) THEN
                        CASE WHEN jsonb_typeof(h.detail::jsonb -> 'matched') = 'array'
                             THEN h.detail::jsonb -> 'matched' END END) AS k (value)
                    WHERE h.action = 'opened';
                """),
        ]))
}
