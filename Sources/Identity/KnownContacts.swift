import Storage

/// Which contact ids exist, for associating a deal or ticket with its conversation's contact: the identity model's
/// customers (`cus_…` public ids) and the rows of the older `contacts` table. A soft-deleted contact does not exist
/// here. This is the one question the record commands ask about contacts.
public enum KnownContacts {
    /// A customer of the identity model (`cus_…`, merged ids included: they still name a person) or, until the
    /// legacy `contacts` table is folded into `customers`, a row there.
    /// One statement for both tables: it runs inside the single writer for every record created with a contact.
    public static func exists(_ id: String, in connection: any DatabaseConnection) throws -> Bool {
        try connection.queryOne("""
            SELECT EXISTS (SELECT 1 FROM customers WHERE public_id = ?1)
                OR EXISTS (SELECT 1 FROM contacts WHERE id = ?1 AND deleted_at IS NULL) AS found
            """, [.text(id)])?.bool("found") == true
    }

    /// Adds a row to the older `contacts` table (tests and the benchmark use it to name contacts without going
    /// through identity resolution).
    public static func add(_ id: String, now: Int64, in connection: any DatabaseConnection) throws {
        try connection.run("INSERT INTO contacts (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                           [.text(id), .integer(now)])
    }
}
