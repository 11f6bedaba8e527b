import Storage

/// Migration 14: room slots belong to bot- and AI-created records only.
///
/// Earlier versions let a record created without a bot or AI `creator_flag` but with a `room_id` take its room's
/// latest-wins slot, although it sent Omnichannel nothing — so Omnichannel kept showing the bot's record while the
/// gateway believed the room showed the manual one, and later updates of the bot's record were not sent. Each slot a
/// manual record holds goes back to the room's newest live bot/AI record of that kind (what Omnichannel still
/// shows), or is emptied when there is none. Records, timeline entries and the outbox are not touched.
enum RoomSlotRepairMigration {
    static let migration = Migration(version: 14, name: "room slots for bot and AI records only", sql: """
        CREATE TEMP TABLE manual_room_slots AS
            SELECT p.room_id, p.kind FROM room_previews p JOIN deals d ON p.kind = 'deal' AND d.id = p.record_id
            WHERE d.creator_flag IS NULL OR d.creator_flag NOT IN ('bot', 'agentic_ai')
            UNION ALL
            SELECT p.room_id, p.kind FROM room_previews p JOIN tickets t ON p.kind = 'ticket' AND t.id = p.record_id
            WHERE t.creator_flag IS NULL OR t.creator_flag NOT IN ('bot', 'agentic_ai');
        CREATE TEMP TABLE newest_bot_records AS
            SELECT room_id, kind, id, created_at FROM (
                SELECT room_id, 'deal' AS kind, id, created_at,
                       row_number() OVER (PARTITION BY room_id ORDER BY created_at DESC, id DESC) AS rank
                FROM deals
                WHERE deleted_at IS NULL AND creator_flag IN ('bot', 'agentic_ai')
                  AND room_id IN (SELECT room_id FROM manual_room_slots WHERE kind = 'deal')
                UNION ALL
                SELECT room_id, 'ticket' AS kind, id, created_at,
                       row_number() OVER (PARTITION BY room_id ORDER BY created_at DESC, id DESC) AS rank
                FROM tickets
                WHERE deleted_at IS NULL AND creator_flag IN ('bot', 'agentic_ai')
                  AND room_id IN (SELECT room_id FROM manual_room_slots WHERE kind = 'ticket'))
            WHERE rank = 1;
        UPDATE room_previews SET
            record_id = (SELECT b.id FROM newest_bot_records b
                         WHERE b.room_id = room_previews.room_id AND b.kind = room_previews.kind),
            record_created_at = (SELECT b.created_at FROM newest_bot_records b
                                 WHERE b.room_id = room_previews.room_id AND b.kind = room_previews.kind),
            updated_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
        WHERE (room_id, kind) IN (SELECT room_id, kind FROM manual_room_slots);
        DROP TABLE manual_room_slots;
        DROP TABLE newest_bot_records;
        """, postgres: .statements("""
        -- Repairs rows written by versions that ran on SQLite only: a PostgreSQL database never held them.
        """))
}
