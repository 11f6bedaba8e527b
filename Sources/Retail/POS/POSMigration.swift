import Storage

/// Migration 7: POS metadata (franchises, outlets, their contact phones) and the contact → outlet resolution table.
///
/// Sized for the renewal scheduler scanning 100,000 outlets: `outlets_by_expiry` answers "expiring between D1 and D2
/// with status S" from the index alone. Tables keyed by POS ids are `WITHOUT ROWID` (one b-tree instead of a table
/// plus a unique index, so a bulk import writes half the pages). Dates are `YYYY-MM-DD` text, which sorts by date.
enum POSMigration {
    static let migration = Migration(version: 7, name: "pos outlets and contact resolution", sql: """
        CREATE TABLE franchises (
            fid TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        -- updated_via: which path last changed the row (import, pull, push).
        CREATE TABLE outlets (
            oid TEXT PRIMARY KEY,
            fid TEXT NOT NULL REFERENCES franchises (fid),
            name TEXT NOT NULL,
            expiry_date TEXT NOT NULL CHECK (expiry_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            status TEXT NOT NULL CHECK (status IN ('active', 'expired', 'suspended', 'closed')),
            time_zone TEXT NOT NULL,
            updated_via TEXT NOT NULL CHECK (updated_via IN ('import', 'pull', 'push')),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX outlets_by_expiry ON outlets (expiry_date, status);
        CREATE INDEX outlets_by_franchise ON outlets (fid);
        -- Contact phones of an outlet, canonical E.164 digits without '+'. A phone may serve several outlets (an
        -- owner's number): resolution then answers "ambiguous".
        CREATE TABLE outlet_phones (
            oid TEXT NOT NULL REFERENCES outlets (oid) ON DELETE CASCADE,
            phone TEXT NOT NULL,
            PRIMARY KEY (oid, phone)
        ) WITHOUT ROWID;
        CREATE INDEX outlet_phones_by_phone ON outlet_phones (phone);
        -- Which outlets a contact (a customer public id or legacy contact id, like records' contact_id: no foreign
        -- key) speaks for, and how that was learnt.
        CREATE TABLE contact_outlet (
            contact_id TEXT NOT NULL,
            oid TEXT NOT NULL REFERENCES outlets (oid),
            method TEXT NOT NULL CHECK (method IN ('phone', 'customer_choice', 'manual')),
            linked_at INTEGER NOT NULL,
            PRIMARY KEY (contact_id, oid)
        ) WITHOUT ROWID;
        CREATE INDEX contact_outlet_by_outlet ON contact_outlet (oid);
        """, postgres: .replacing([
            .init("expiry_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'",
                  with: "expiry_date ~ '^[0-9]{4}-[0-1][0-9]-[0-3][0-9]$'"),
        ]))
}
