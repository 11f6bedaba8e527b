import Delivery
import Storage

/// How long the access module keeps the audit log (`retention.audit_events`, two years) and ended or expired
/// console sessions (`retention.sessions`).
public enum AccessRetention {
    public static func rules(_ settings: RetentionSettings) -> [RetentionRule] {
        [
            RetentionRule("audit_events", keep: Int64(settings.auditEventsMilliseconds)) { before, limit, c in
                try c.run("DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE at < ? ORDER BY id LIMIT ?)",
                          [.integer(before), .integer(Int64(limit))])
                return c.changes
            },
            RetentionRule("sessions", keep: Int64(settings.sessionsMilliseconds)) { before, limit, c in
                try c.run("""
                    DELETE FROM user_sessions WHERE id IN (
                        SELECT id FROM user_sessions WHERE coalesce(ended_at, expires_at) < ? LIMIT ?)
                    """, [.integer(before), .integer(Int64(limit))])
                return c.changes
            },
        ]
    }
}
