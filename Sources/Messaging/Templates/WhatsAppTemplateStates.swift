import Delivery
import GatewayKit
import Storage

/// What Meta last said about a template in one language (the `whatsapp_template_states` table).
public struct WhatsAppTemplateState: Sendable, Equatable {
    public var name: String
    public var language: String
    public var templateID: String
    public var status: String?
    public var reason: String?
    public var quality: String?
    public var category: String?
    /// Unix milliseconds of the last change.
    public var updatedAt: Int64

    /// The statuses Meta still delivers a template in: approved, reinstated after a pause, and flagged (low quality,
    /// at risk of a pause, but still sent). Everything else — PENDING, REJECTED, PAUSED, DISABLED, DELETED, … — not.
    public static let sendable: Set<String> = ["APPROVED", "REINSTATED", "FLAGGED"]

    /// True unless Meta reported a status it does not send the template in. A template Meta never reported on is taken
    /// as approved: not every deployment subscribes to template webhooks, and Meta refuses an unapproved one anyway.
    public var maySend: Bool { status.map(Self.sendable.contains) ?? true }

    /// `{"template_id", "status"?, "reason"?, "quality"?, "category"?, "updated_at"}` — the `meta` member of a
    /// language in `GET /v1/templates`.
    public var json: JSONValue {
        var o: [String: JSONValue] = ["template_id": .string(templateID), "updated_at": .integer(updatedAt)]
        o.put("status", status)
        o.put("reason", reason)
        o.put("quality", quality)
        o.put("category", category)
        return .object(o)
    }
}

/// Reads and writes `whatsapp_template_states`. Each of status, quality and category keeps the latest report by the
/// source's time; a report without a time (`at` = the gateway's, in seconds) counts as of its arrival.
public enum WhatsAppTemplateStates {
    /// Applies `update`; returns true when it changed a stored value.
    @discardableResult
    public static func apply(_ update: InboundTemplateUpdate, at: Int64, now: Int64,
                             in c: any DatabaseConnection) throws -> Bool {
        try c.run("""
            INSERT INTO whatsapp_template_states (name, language, template_id, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (name, language) DO NOTHING
            """, [.text(update.name), .text(update.language), .text(update.templateID), .integer(now)])
        let key = (update.name, update.language, update.templateID)
        var changed = false
        if let status = update.status {
            changed = try set("status", status, reason: update.reason, of: key, at: at, now: now, in: c) || changed
        }
        if let quality = update.quality {
            changed = try set("quality", quality, of: key, at: at, now: now, in: c) || changed
        }
        if let category = update.category {
            changed = try set("category", category, of: key, at: at, now: now, in: c) || changed
        }
        return changed
    }

    /// Sets `column` (one of this table's value columns, never input) to `value` unless a later report set it.
    private static func set(_ column: String, _ value: String, reason: String? = nil,
                            of key: (name: String, language: String, templateID: String), at: Int64, now: Int64,
                            in c: any DatabaseConnection) throws -> Bool {
        try c.run("""
            UPDATE whatsapp_template_states
            SET \(column) = ?, \(column)_at = ?, reason = CASE WHEN ? = 'status' THEN ? ELSE reason END,
                template_id = ?, updated_at = ?
            WHERE name = ? AND language = ? AND coalesce(\(column)_at, 0) <= ? AND \(column) IS DISTINCT FROM ?
            """, [.text(value), .integer(at), .text(column), SQLValue(reason), .text(key.templateID), .integer(now),
                  .text(key.name), .text(key.language), .integer(at), .text(value)])
        return c.changes > 0
    }

    /// The state of `name` in `language`, nil when Meta never reported on it.
    public static func state(name: String, language: String, in c: any DatabaseConnection) throws
        -> WhatsAppTemplateState? {
        try c.queryOne("SELECT * FROM whatsapp_template_states WHERE name = ? AND language = ?",
                       [.text(name), .text(language)]).map(state)
    }

    /// Every state, by name and language.
    public static func all(in c: any DatabaseConnection) throws -> [WhatsAppTemplateState] {
        try c.query("SELECT * FROM whatsapp_template_states ORDER BY name, language").map(state)
    }

    private static func state(_ row: Row) -> WhatsAppTemplateState {
        WhatsAppTemplateState(name: row.string("name") ?? "", language: row.string("language") ?? "",
                              templateID: row.string("template_id") ?? "", status: row.string("status"),
                              reason: row.string("reason"), quality: row.string("quality"),
                              category: row.string("category"), updatedAt: row.int64("updated_at") ?? 0)
    }
}
