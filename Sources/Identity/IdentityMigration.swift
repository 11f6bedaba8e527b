import Storage

/// Migration 4: the customer identity model (multi-BSUID). Kept beside the identity code so the schema and the SQL that
/// relies on it change together; ``Schema`` only lists it.
///
/// The rules the store itself enforces, so that no code path (or bug) can break them:
/// - a BSUID exists once (`customer_bsuids.bsuid UNIQUE`) and belongs to one customer;
/// - a phone or email exists once (`customer_identifiers UNIQUE (kind, value)`), on one customer;
/// - a phone is bound to at most one BSUID at a time (`customer_bsuids.phone UNIQUE`), and only to a BSUID of the
///   customer that owns the phone (composite foreign key onto `customer_identifiers`);
/// - a bound phone can be neither deleted nor renamed (the same foreign key, `NO ACTION`), which is the storage side of
///   "Phone is linked to BSUID and cannot be modified";
/// - a retired BSUID (replaced by a change notice) holds no phone.
enum IdentityMigration {
    static let migration = Migration(version: 4, name: "customer identity", sql: """
        -- A customer (CDP profile / CRM contact). Merged customers stay as tombstones pointing at the survivor, so ids
        -- handed out earlier (e.g. a deal's contact_id) still resolve.
        CREATE TABLE customers (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            display_name TEXT,
            name_at INTEGER NOT NULL DEFAULT 0,
            merged_into INTEGER REFERENCES customers (id),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        -- Phones (international digits, no '+') and emails (lower case) of a customer.
        CREATE TABLE customer_identifiers (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers (id),
            kind TEXT NOT NULL CHECK (kind IN ('phone', 'email')),
            value TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (kind, value),
            UNIQUE (customer_id, kind, value)
        );
        -- One node per business-scoped user id. *_at columns hold the source time (unix seconds) of the fact last
        -- applied, so facts arriving out of order converge to the same state (latest wins, whatever the arrival order).
        CREATE TABLE customer_bsuids (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers (id),
            bsuid TEXT NOT NULL UNIQUE,
            parent_bsuid TEXT,
            username TEXT,
            username_at INTEGER NOT NULL DEFAULT 0,
            phone TEXT UNIQUE,
            phone_kind TEXT NOT NULL DEFAULT 'phone' CHECK (phone_kind = 'phone'),
            phone_at INTEGER NOT NULL DEFAULT 0,
            retired_at INTEGER,
            -- Set by user_changed_user_id: the BSUID that inherits this (retired) node's phone, also late claims of it.
            phone_successor TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            CHECK (retired_at IS NULL OR phone IS NULL),
            FOREIGN KEY (customer_id, phone_kind, phone) REFERENCES customer_identifiers (customer_id, kind, value)
        );
        CREATE INDEX customer_bsuids_by_customer ON customer_bsuids (customer_id);
        -- Every identity change: who (actor), what (action, subject), when, before and after (JSON).
        CREATE TABLE identity_audit (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT,
            before TEXT,
            after TEXT,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX identity_audit_by_customer ON identity_audit (customer_id, id);
        """)
}
