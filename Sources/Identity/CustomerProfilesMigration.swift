import Storage

/// Migration 32: the views through which modules above Identity read customers — segmentation above all — instead of
/// naming its tables:
/// - `customer_profiles (customer_id, contact_id, full_name, created_at, updated_at)`: live customers (not merged into
///   another, not erased), times in unix ms;
/// - `customer_identifier_values (customer_id, kind, value)`: every phone, email, BSUID and username of a customer;
/// - `customer_marketing_consent (customer_id, opted_in, changed_at)`: the latest marketing choice (1 granted,
///   0 withdrawn; `changed_at` in unix ms), no row when the customer never said.
enum CustomerProfilesMigration {
    static let migration = Migration(version: 32, name: "customer views", sql: """
        CREATE VIEW customer_profiles AS
            SELECT id AS customer_id, public_id AS contact_id, display_name AS full_name, created_at, updated_at
            FROM customers WHERE merged_into IS NULL AND erased_at IS NULL;
        CREATE VIEW customer_identifier_values AS
            SELECT customer_id, kind, value FROM customer_identifiers
            UNION ALL SELECT customer_id, 'bsuid', bsuid FROM customer_bsuids
            UNION ALL SELECT customer_id, 'username', username FROM customer_bsuids WHERE username IS NOT NULL;
        CREATE VIEW customer_marketing_consent AS
            SELECT customer_id, CASE status WHEN 'granted' THEN 1 ELSE 0 END AS opted_in, changed_at * 1000 AS changed_at
            FROM customer_consents WHERE category = 'marketing_messages';
        """)
}
