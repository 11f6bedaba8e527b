import Storage

/// Migration 36: the organisation's own contact fields and each contact's values, and the views segmentation reads
/// them through (`contact_field_definitions`, `customer_custom_values`).
enum ContactFieldsMigration {
    static let migration = Migration(version: 36, name: "contact fields", sql: """
        -- A field definition: key (lower case, digits, _), label, type (ContactFieldType), options (JSON array) for
        -- dropdowns and multiple selections.
        CREATE TABLE contact_fields (
            key TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            type TEXT NOT NULL,
            options TEXT,
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        -- One row per value (several for a multiple selection); number holds numbers too, for numeric comparison.
        CREATE TABLE contact_field_values (
            customer_id INTEGER NOT NULL REFERENCES customers (id),
            field_key TEXT NOT NULL REFERENCES contact_fields (key),
            value TEXT NOT NULL,
            number REAL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (customer_id, field_key, value)
        ) WITHOUT ROWID;
        CREATE INDEX contact_field_values_by_field ON contact_field_values (field_key, value);
        CREATE VIEW contact_field_definitions AS SELECT key, label, type, options FROM contact_fields;
        CREATE VIEW customer_custom_values AS SELECT customer_id, field_key, value, number FROM contact_field_values;
        """)
}
