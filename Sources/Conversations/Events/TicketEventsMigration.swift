import Storage

/// Migration 57: `ticket_events`, the desk's change feed — one row whenever something a desk screen shows changes
/// (a ticket opened or changed, a message in or out or its delivery status, a note, a CSAT answer, an SLA breach),
/// written by triggers in the same transaction as the change, so the feed misses nothing that committed and holds
/// nothing that did not. `seq` only grows (AUTOINCREMENT: never reused, even after the oldest rows are purged), so a
/// client that saw event `n` resumes with everything after `n`. `fid`/`oid` are the ticket's outlet at that moment,
/// for scoped readers.
enum TicketEventsMigration {
    /// A trigger on a ticket's own row: records `kind` with the row's outlet, at the row's change time (the app's
    /// clock, which the rows carry; retention compares with it).
    private static func ticketTrigger(_ name: String, on event: String, kind: String) -> String {
        """
        CREATE TRIGGER ticket_events_\(name) AFTER \(event) ON tickets
        BEGIN
            INSERT INTO ticket_events (ticket_id, kind, fid, oid, at)
            VALUES (NEW.id, '\(kind)', NEW.fid, NEW.oid, NEW.updated_at);
        END;
        """
    }

    /// A trigger on a row that belongs to a ticket (`NEW.ticket_id`): records `kind` with the ticket's outlet, at
    /// `time` (the row's own time column).
    private static func partTrigger(_ name: String, on event: String, kind: String, time: String) -> String {
        """
        CREATE TRIGGER ticket_events_\(name) AFTER \(event)
        BEGIN
            INSERT INTO ticket_events (ticket_id, kind, fid, oid, at)
            SELECT id, '\(kind)', fid, oid, \(time) FROM tickets WHERE id = NEW.ticket_id;
        END;
        """
    }

    /// A message's delivery status moved or its content changed (a call's state, a media download) — not the
    /// retention purge emptying it.
    private static let messageUpdated = """
        UPDATE OF delivery_status, content ON ticket_messages
        WHEN NEW.delivery_status IS NOT OLD.delivery_status OR NEW.content IS NOT NULL
        """

    static let migration = Migration(version: 57, name: "ticket events", sql: """
        CREATE TABLE ticket_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            ticket_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            fid TEXT,
            oid TEXT,
            at INTEGER NOT NULL
        );
        CREATE INDEX ticket_events_by_time ON ticket_events (at);
        \(ticketTrigger("opened", on: "INSERT", kind: "opened"))
        \(ticketTrigger("changed", on: "UPDATE", kind: "changed"))
        \(partTrigger("message", on: "INSERT ON ticket_messages", kind: "message", time: "NEW.created_at"))
        \(partTrigger("delivery", on: messageUpdated, kind: "message",
                      time: "coalesce(NEW.delivery_updated_at, NEW.created_at)"))
        \(partTrigger("note", on: "INSERT ON ticket_notes", kind: "note", time: "NEW.created_at"))
        \(partTrigger("csat", on: "INSERT ON csat_response", kind: "csat", time: "NEW.responded_at"))
        \(partTrigger("sla", on: "INSERT ON ticket_sla_breaches", kind: "sla", time: "NEW.breached_at"))
        """)
}
