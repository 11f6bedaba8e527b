import Storage

/// The tables this module owns: a fact row per conversation ticket (what the ticket last contributed to the
/// figures), the rollups kept from those facts, and the queue of tickets whose facts are out of date. The queue is
/// filled in the same transaction as every change of a ticket or its CSAT, so no change is missed across crashes: by
/// triggers, and for a new ticket by ``AnalyticsTicketMarks`` (migration 67). ``AnalyticsRollups`` drains it.
public enum AnalyticsSchema {
    public static let migrations: [Migration] = [
        Migration(version: 55, name: "analytics rollups", sql: """
            CREATE TABLE analytics_dirty_tickets (ticket_id INTEGER PRIMARY KEY);
            CREATE TRIGGER analytics_ticket_inserted AFTER INSERT ON tickets WHEN NEW.channel IS NOT NULL
            BEGIN INSERT OR IGNORE INTO analytics_dirty_tickets (ticket_id) VALUES (NEW.id); END;
            CREATE TRIGGER analytics_ticket_updated AFTER UPDATE ON tickets WHEN NEW.channel IS NOT NULL
            BEGIN INSERT OR IGNORE INTO analytics_dirty_tickets (ticket_id) VALUES (NEW.id); END;
            CREATE TRIGGER analytics_csat_survey_sent AFTER INSERT ON csat_surveys
            BEGIN INSERT OR IGNORE INTO analytics_dirty_tickets (ticket_id) VALUES (NEW.ticket_id); END;
            CREATE TRIGGER analytics_csat_answered AFTER INSERT ON csat_response
            BEGIN INSERT OR IGNORE INTO analytics_dirty_tickets (ticket_id) VALUES (NEW.ticket_id); END;
            INSERT INTO analytics_dirty_tickets (ticket_id) SELECT id FROM tickets WHERE channel IS NOT NULL;

            -- What each ticket last contributed: day = the local day (days since 1970-01-01 in analytics.time_zone)
            -- it opened; ended_at = when it left the backlog (NULL while open or pending); outlet = 'fid/oid', ''
            -- when unlinked; ratings = the count of each rating 1-5, comma-separated; keywords = JSON array.
            CREATE TABLE analytics_ticket_facts (
                ticket_id INTEGER PRIMARY KEY,
                day INTEGER NOT NULL,
                opened_at INTEGER NOT NULL,
                ended_at INTEGER,
                fid TEXT,
                oid TEXT,
                category TEXT NOT NULL,
                queue TEXT NOT NULL,
                agent TEXT NOT NULL,
                channel TEXT NOT NULL,
                kind TEXT NOT NULL,
                frt_ms INTEGER,
                frt_within INTEGER,
                art_ms INTEGER,
                art_within INTEGER,
                reopened INTEGER NOT NULL,
                surveys INTEGER NOT NULL,
                ratings TEXT NOT NULL,
                keywords TEXT NOT NULL
            );
            CREATE INDEX analytics_facts_by_outlet ON analytics_ticket_facts (oid, day);
            CREATE INDEX analytics_facts_by_franchise ON analytics_ticket_facts (fid, day);
            CREATE INDEX analytics_facts_open ON analytics_ticket_facts (opened_at) WHERE ended_at IS NULL;

            -- Sums over the tickets opened on a day (span 'd') or in a calendar month (span 'm', day = the month's
            -- first day), per dimension ('all', 'category', 'queue', 'agent', 'outlet', 'channel', 'keyword', 'kind')
            -- and its value ('' = none). Month rows let a query over a year read twelve rows where it would read 365.
            CREATE TABLE analytics_ticket_days (
                dimension TEXT NOT NULL,
                span TEXT NOT NULL CHECK (span IN ('d', 'm')),
                day INTEGER NOT NULL,
                value TEXT NOT NULL,
                opened INTEGER NOT NULL DEFAULT 0,
                reopened INTEGER NOT NULL DEFAULT 0,
                frt_count INTEGER NOT NULL DEFAULT 0,
                frt_within INTEGER NOT NULL DEFAULT 0,
                art_count INTEGER NOT NULL DEFAULT 0,
                art_within INTEGER NOT NULL DEFAULT 0,
                surveys INTEGER NOT NULL DEFAULT 0,
                responses INTEGER NOT NULL DEFAULT 0,
                rating_sum INTEGER NOT NULL DEFAULT 0,
                r1 INTEGER NOT NULL DEFAULT 0,
                r2 INTEGER NOT NULL DEFAULT 0,
                r3 INTEGER NOT NULL DEFAULT 0,
                r4 INTEGER NOT NULL DEFAULT 0,
                r5 INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (dimension, span, day, value)
            ) WITHOUT ROWID;
            -- How many of a day's (or month's) tickets took `seconds` (a bucket's lower bound: ResponseTimeBuckets)
            -- to their first response (metric 'frt') or resolution ('art').
            CREATE TABLE analytics_response_times (
                metric TEXT NOT NULL,
                dimension TEXT NOT NULL,
                span TEXT NOT NULL CHECK (span IN ('d', 'm')),
                day INTEGER NOT NULL,
                value TEXT NOT NULL,
                seconds INTEGER NOT NULL,
                tickets INTEGER NOT NULL,
                PRIMARY KEY (metric, dimension, span, day, value, seconds)
            ) WITHOUT ROWID;
            -- Changes of the backlog by age bucket, by the local day they happen on: the backlog at the end of a day
            -- is the sum of every change up to that day.
            CREATE TABLE analytics_backlog_changes (
                day INTEGER NOT NULL,
                age TEXT NOT NULL,
                change INTEGER NOT NULL,
                PRIMARY KEY (day, age)
            ) WITHOUT ROWID;
            -- The time zone the days above were counted in: a new analytics.time_zone rebuilds them.
            CREATE TABLE analytics_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
            """, postgres: .replacing([.init(from: "CREATE TRIGGER analytics_ticket_inserted",
                                             through: "ON csat_response\nBEGIN INSERT OR IGNORE INTO "
                                                + "analytics_dirty_tickets (ticket_id) VALUES (NEW.ticket_id); END;",
                                             with: postgresTriggers)])),
        Migration(version: 56, name: "analytics summaries", sql: """
            -- One row per summary and period (kind 'daily' or 'weekly', period = its first local day): outcome sent,
            -- skipped (no SMTP or no recipients) or failed (the last attempt's error in detail); a period is mailed
            -- once.
            CREATE TABLE analytics_summaries (
                kind TEXT NOT NULL CHECK (kind IN ('daily', 'weekly')),
                period TEXT NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'skipped', 'failed')),
                recipients INTEGER NOT NULL,
                detail TEXT,
                at INTEGER NOT NULL,
                PRIMARY KEY (kind, period)
            ) WITHOUT ROWID;
            """),
        // A mark renewed while a pass was reading the ticket stays for the next pass. On PostgreSQL a change can
        // commit between a pass's reading of the facts and its removal of the mark: the trigger renews the mark
        // (taking its row lock), and the pass removes only marks at the renewal it read. (SQLite's triggers renew
        // marks too since its passes are read off the writer: the last migration of this list.)
        Migration(version: 58, name: "analytics mark renewals", sql: """
            ALTER TABLE analytics_dirty_tickets ADD COLUMN renewal INTEGER NOT NULL DEFAULT 0;
            """, postgres: .statements("""
            ALTER TABLE analytics_dirty_tickets ADD COLUMN renewal BIGINT NOT NULL DEFAULT 0;
            \(renewingMark("analytics_mark_ticket", ticket: "NEW.id"))
            \(renewingMark("analytics_mark_rated_ticket", ticket: "NEW.ticket_id"))
            """)),
        // A change of a ticket is marked when it sets a column the figures read (`ticket_figures`) or makes a new
        // version of the ticket — not when it only notes the time of the customer's newest message or that outlet
        // resolution found nothing, which happens on nearly every inbound message and changes no figure.
        Migration(version: 60, name: "analytics marks on figure changes", sql: """
            DROP TRIGGER analytics_ticket_updated;
            CREATE TRIGGER analytics_ticket_updated AFTER UPDATE OF \(markedColumns) ON tickets
            WHEN NEW.channel IS NOT NULL
            BEGIN INSERT OR IGNORE INTO analytics_dirty_tickets (ticket_id) VALUES (NEW.id); END;
            """, postgres: .statements("""
            DROP TRIGGER analytics_ticket_updated ON tickets;
            CREATE TRIGGER analytics_ticket_updated AFTER UPDATE OF \(markedColumns) ON tickets
            FOR EACH ROW WHEN (NEW.channel IS NOT NULL) EXECUTE FUNCTION analytics_mark_ticket();
            """)),
        // The embedded engine reads a rollup pass on a reader's snapshot, off the writer, so a change can now commit
        // between the reading and the write there too: every trigger renews a mark already there, and the writer
        // writes the pass only when its marks are still at the renewals it read. PostgreSQL's triggers renew already.
        Migration(version: 65, name: "analytics marks renewed on SQLite", sql: """
            DROP TRIGGER analytics_ticket_inserted;
            DROP TRIGGER analytics_ticket_updated;
            DROP TRIGGER analytics_csat_survey_sent;
            DROP TRIGGER analytics_csat_answered;
            CREATE TRIGGER analytics_ticket_inserted AFTER INSERT ON tickets WHEN NEW.channel IS NOT NULL
            BEGIN \(renewingMark(ticket: "NEW.id")) END;
            CREATE TRIGGER analytics_ticket_updated AFTER UPDATE OF \(markedColumns) ON tickets
            WHEN NEW.channel IS NOT NULL
            BEGIN \(renewingMark(ticket: "NEW.id")) END;
            CREATE TRIGGER analytics_csat_survey_sent AFTER INSERT ON csat_surveys
            BEGIN \(renewingMark(ticket: "NEW.ticket_id")) END;
            CREATE TRIGGER analytics_csat_answered AFTER INSERT ON csat_response
            BEGIN \(renewingMark(ticket: "NEW.ticket_id")) END;
            """, postgres: .statements("")),
        // A new ticket is marked by the code that inserts it (``AnalyticsTicketMarks``, which the app hands to every
        // module that inserts tickets), in the same transaction: on SQLite a statement that fires a trigger also
        // journals every page it changes, and a ticket opens with nearly every new conversation.
        Migration(version: 67, name: "analytics marks of new tickets from code", sql: """
            DROP TRIGGER analytics_ticket_inserted;
            """, postgres: .statements("""
            DROP TRIGGER analytics_ticket_inserted ON tickets;
            """)),
    ]

    /// An SQLite trigger's statement marking ticket `ticket`, renewing a mark already there.
    private static func renewingMark(ticket: String) -> String {
        """
        INSERT INTO analytics_dirty_tickets (ticket_id) VALUES (\(ticket))
            ON CONFLICT (ticket_id) DO UPDATE SET renewal = renewal + 1;
        """
    }

    /// The ticket columns whose change marks the ticket: those `ticket_figures` shows or filters on, and `version`.
    static let markedColumns = """
        version, created_at, status, kind, queue, category, assignee, fid, oid, channel, first_response_at,
        first_response_due_at, resolved_at, resolution_due_at, closed_at, reopen_count, reopened_at, deleted_at
        """

    /// A PostgreSQL trigger function `name` that marks ticket `ticket` (`NEW.id` of a ticket, `NEW.ticket_id` of a
    /// survey or answer), renewing a mark already there.
    private static func renewingMark(_ name: String, ticket: String) -> String {
        """
        CREATE OR REPLACE FUNCTION \(name)() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO analytics_dirty_tickets (ticket_id) VALUES (\(ticket))
            ON CONFLICT (ticket_id) DO UPDATE SET renewal = analytics_dirty_tickets.renewal + 1;
            RETURN NULL;
        END $$;
        """
    }

    /// The queue's triggers on PostgreSQL: trigger functions marking the ticket (`NEW.id` of a ticket, `NEW.ticket_id`
    /// of a survey or answer).
    private static let postgresTriggers = """
        CREATE FUNCTION analytics_mark_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO analytics_dirty_tickets (ticket_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
            RETURN NULL;
        END $$;
        CREATE FUNCTION analytics_mark_rated_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO analytics_dirty_tickets (ticket_id) VALUES (NEW.ticket_id) ON CONFLICT DO NOTHING;
            RETURN NULL;
        END $$;
        CREATE TRIGGER analytics_ticket_inserted AFTER INSERT ON tickets FOR EACH ROW WHEN (NEW.channel IS NOT NULL)
            EXECUTE FUNCTION analytics_mark_ticket();
        CREATE TRIGGER analytics_ticket_updated AFTER UPDATE ON tickets FOR EACH ROW WHEN (NEW.channel IS NOT NULL)
            EXECUTE FUNCTION analytics_mark_ticket();
        CREATE TRIGGER analytics_csat_survey_sent AFTER INSERT ON csat_surveys FOR EACH ROW
            EXECUTE FUNCTION analytics_mark_rated_ticket();
        CREATE TRIGGER analytics_csat_answered AFTER INSERT ON csat_response FOR EACH ROW
            EXECUTE FUNCTION analytics_mark_rated_ticket();
        """
}
