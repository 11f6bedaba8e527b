import Storage

/// Migration 29: when a customer was erased (PDPA). The row stays — tickets and reports still count the person —
/// without a name or any identifier.
enum CustomerErasureMigration {
    static let migration = Migration(version: 29, name: "customer erasure", sql: """
        ALTER TABLE customers ADD COLUMN erased_at INTEGER;
        """)
}
