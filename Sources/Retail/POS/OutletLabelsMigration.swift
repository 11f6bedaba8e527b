import Storage

/// Provides CRM's `outlet_labels` view (the outlet names CRM shows on tickets) from the outlets this module keeps.
enum OutletLabelsMigration {
    static let migration = Migration(version: 17, name: "outlet labels for CRM", sql: """
        DROP VIEW outlet_labels;
        CREATE VIEW outlet_labels AS SELECT oid, name FROM outlets;
        """)
}
