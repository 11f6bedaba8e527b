import Storage

/// Migration 57: `ticket_events`, the desk's change feed — one row whenever something a desk screen shows changes
/// (a ticket opened or changed, a message in or out or its delivery status, a note, a CSAT answer, an SLA breach),
/// written by triggers in the same transaction as the change (a ticket's opening and a new message by code since
/// migration 66: ``TicketEventRows``), so the feed misses nothing that committed and holds nothing that did not.
/// `seq` grows with every event, so a client that saw event `n` resumes with everything after `n`; retention removes
/// only the oldest rows, so a number could come back only after the whole feed was purged (a day without any change),
/// and a client presenting one the feed does not hold gets a reset anyway. `fid`/`oid` are the ticket's outlet at that
/// moment, for scoped readers; `at` is the changed row's own time (the app's clock, which retention compares with; it
/// reads the oldest rows first, in `seq` order, so it needs no index). Each row is one b-tree insert at the end of the
/// table: the cheapest write a change can carry.
enum TicketEventsMigration {
    /// One trigger: after `event` on `table` (when `condition` holds), `kind` is recorded for the ticket.
    private struct Trigger {
        let name: String
        let event: String
        let table: String
        var condition: String?
        let kind: String
        /// The row's time column.
        let time: String

        /// On the ticket's own row (its outlet is the row's); otherwise on a row with `ticket_id`.
        var onTicket: Bool { table == "tickets" }

        /// The statement, written for both engines.
        var insert: String {
            onTicket
                ? "INSERT INTO ticket_events (ticket_id, kind, fid, oid, at) "
                    + "VALUES (NEW.id, '\(kind)', NEW.fid, NEW.oid, \(time));"
                : "INSERT INTO ticket_events (ticket_id, kind, fid, oid, at) "
                    + "SELECT id, '\(kind)', fid, oid, \(time) FROM tickets WHERE id = NEW.ticket_id;"
        }
    }

    private static let triggers = [
        Trigger(name: "opened", event: "INSERT", table: "tickets", kind: "opened", time: "NEW.updated_at"),
        changed,
        Trigger(name: "message", event: "INSERT", table: "ticket_messages", kind: "message", time: "NEW.created_at"),
        // A delivery status moved or the content changed (a call's state, a media download) — not the retention
        // purge emptying a message.
        Trigger(name: "delivery", event: "UPDATE OF delivery_status, content", table: "ticket_messages",
                condition: "NEW.delivery_status IS DISTINCT FROM OLD.delivery_status OR NEW.content IS NOT NULL",
                kind: "message", time: "coalesce(NEW.delivery_updated_at, NEW.created_at)"),
        Trigger(name: "note", event: "INSERT", table: "ticket_notes", kind: "note", time: "NEW.created_at"),
        Trigger(name: "csat", event: "INSERT", table: "csat_response", kind: "csat", time: "NEW.responded_at"),
        Trigger(name: "sla", event: "INSERT", table: "ticket_sla_breaches", kind: "sla", time: "NEW.breached_at"),
    ]

    // Every change a desk screen shows counts a new version of the ticket (its ETag); bookkeeping that does not
    // (the time of the customer's newest message, which comes with its own message event) is not an event.
    private static let changed = Trigger(name: "changed", event: "UPDATE", table: "tickets",
                                         condition: "NEW.version IS DISTINCT FROM OLD.version", kind: "changed",
                                         time: "NEW.updated_at")

    private static let table = """
        CREATE TABLE ticket_events (
            seq INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            fid TEXT,
            oid TEXT,
            at INTEGER NOT NULL
        );

        """

    /// SQLite's triggers hold their statement.
    private static let sqliteTriggers = triggers.map { trigger in
        """
        CREATE TRIGGER ticket_events_\(trigger.name) AFTER \(trigger.event) ON \(trigger.table)
        \(trigger.condition.map { "WHEN \($0)\n" } ?? "")BEGIN \(trigger.insert) END;
        """
    }.joined(separator: "\n")

    /// PostgreSQL's call a function each.
    private static let postgresTriggers = triggers.map { trigger in
        """
        CREATE FUNCTION ticket_events_\(trigger.name)() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN \(trigger.insert) RETURN NULL; END $$;
        CREATE TRIGGER ticket_events_\(trigger.name) AFTER \(trigger.event) ON \(trigger.table) FOR EACH ROW
        \(trigger.condition.map { "WHEN (\($0))\n" } ?? "")EXECUTE FUNCTION ticket_events_\(trigger.name)();
        """
    }.joined(separator: "\n")

    static let migration = Migration(version: 57, name: "ticket events", sql: table + sqliteTriggers,
                                     postgres: .replacing([
                                        // A row id under another name: the server numbers it from an identity.
                                        .init("seq INTEGER PRIMARY KEY,",
                                              with: "seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"),
                                        .init(sqliteTriggers, with: postgresTriggers),
                                     ]))

    /// Migration 59: each event's writing transaction, so the feed is read in the order changes commit
    /// (``LogPosition``). On PostgreSQL changes commit side by side: a change that took `seq` 10 may commit after one
    /// that took 11, and a reader following `seq` alone would pass 10 for good. The column is an `xid8` defaulting to
    /// `pg_current_xact_id()` (the triggers' inserts leave it to the default, so it is the changing transaction); the
    /// events written before it get transaction 0 — a position a client holds from before (a `seq` alone, transaction
    /// 0) still stands where it stood. The index serves the reads after a position and retention. SQLite's one writer
    /// commits in `seq` order: its events keep transaction 0 and its reads compare `seq` alone, as before.
    static let readingOrder = Migration(
        version: 59, name: "ticket events reading order",
        sql: "ALTER TABLE ticket_events ADD COLUMN txid INTEGER NOT NULL DEFAULT 0;",
        postgres: .statements("""
            ALTER TABLE ticket_events ADD COLUMN txid xid8 NOT NULL DEFAULT '0';
            ALTER TABLE ticket_events ALTER COLUMN txid SET DEFAULT pg_current_xact_id();
            CREATE INDEX ticket_events_in_reading_order ON ticket_events (txid, seq);
            """))

    /// Migration 61: a ticket's `changed` event is written when its version moves, so the trigger is one on updates of
    /// `version` (its condition unchanged): an update that leaves the version alone (the time of the customer's newest
    /// message, outlet resolution finding nothing) no longer runs it at all.
    static let versionChanges = Migration(version: 61, name: "ticket events on version changes", sql: """
        DROP TRIGGER ticket_events_changed;
        CREATE TRIGGER ticket_events_changed AFTER UPDATE OF version ON tickets
        WHEN \(changed.condition ?? "TRUE")
        BEGIN \(changed.insert) END;
        """, postgres: .statements("""
        DROP TRIGGER ticket_events_changed ON tickets;
        CREATE TRIGGER ticket_events_changed AFTER UPDATE OF version ON tickets FOR EACH ROW
        WHEN (\(changed.condition ?? "TRUE")) EXECUTE FUNCTION ticket_events_changed();
        """))

    /// Migration 66: a ticket's `opened` event and a new message's `message` event are written by the code that
    /// inserts them (``TicketOpenedEvents``, ``TicketEventRows``), in the same transaction, and their triggers go: on
    /// SQLite a statement that fires a trigger also journals every page it changes, and these two inserts come with
    /// nearly every inbound message. The same on PostgreSQL, so both engines write the feed the same way.
    static let openingsAndMessagesFromCode = Migration(
        version: 66, name: "ticket openings and messages in the feed from code", sql: """
            DROP TRIGGER ticket_events_opened;
            DROP TRIGGER ticket_events_message;
            """, postgres: .statements("""
            DROP TRIGGER ticket_events_opened ON tickets;
            DROP TRIGGER ticket_events_message ON ticket_messages;
            DROP FUNCTION ticket_events_opened();
            DROP FUNCTION ticket_events_message();
            """))
}
