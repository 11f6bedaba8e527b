import Storage

/// How long the delivery machinery keeps what it stored: items of deliveries once applied, the raw deliveries that
/// commands were applied from (the inbox log of acknowledgements has its own `store.inbox_log_retention`), and dead
/// letters. Delivered outbound calls go after `outbound.delivered_retention`, by the dispatcher.
public enum DeliveryRetention {
    public static func rules(_ settings: RetentionSettings) -> [RetentionRule] {
        let inbox = Int64(settings.inboxMilliseconds)
        return [
            RetentionRule("inbox_items", keep: inbox) { before, limit, c in
                try c.run("""
                    DELETE FROM inbox_items WHERE id IN (
                        SELECT id FROM inbox_items WHERE created_at < ? AND status <> 'pending' ORDER BY id LIMIT ?)
                    """, [.integer(before), .integer(Int64(limit))])
                return c.changes
            },
            RetentionRule("inbox_deliveries", keep: inbox) { before, limit, c in
                try c.run("""
                    DELETE FROM inbox WHERE id IN (
                        SELECT id FROM inbox i WHERE received_at < ? AND status <> 'pending'
                            AND NOT EXISTS (SELECT 1 FROM inbox_items t WHERE t.inbox_id = i.id)
                        ORDER BY id LIMIT ?)
                    """, [.integer(before), .integer(Int64(limit))])
                return c.changes
            },
            RetentionRule("dead_letters", keep: Int64(settings.deadLettersMilliseconds)) { before, limit, c in
                try c.run("DELETE FROM dead_letters WHERE id IN (SELECT id FROM dead_letters WHERE dead_at < ? LIMIT ?)",
                          [.integer(before), .integer(Int64(limit))])
                return c.changes
            },
        ]
    }
}
