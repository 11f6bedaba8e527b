import Storage

/// Migration 63: a contact's outlet links in the order they were made (`ORDER BY linked_at, oid`, read for every
/// message of a returning customer) straight from an index instead of sorted on every read.
enum ContactOutletOrderMigration {
    static let migration = Migration(version: 63, name: "contact outlet links by link time", sql: """
        CREATE INDEX contact_outlet_by_link_time ON contact_outlet (contact_id, linked_at, oid);
        """)
}
