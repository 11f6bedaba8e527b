import Storage

/// The SQL of renewal replies: which cycles a merchant's reply answers, marking them, and the language the merchant
/// was reminded in.
enum RenewalReplyTable {
    /// Open cycles of outlets listing any of `phones` (the same outlets an opt-out of those phones touches), by id.
    static func openCycles(listing phones: [String], in connection: any DatabaseConnection) throws -> [Int64] {
        try connection.query("""
            SELECT id FROM renewals WHERE status = 'open'
              AND oid IN (SELECT oid FROM outlet_phones WHERE phone IN (\(connection.dialect.jsonArrayElements())))
            ORDER BY id
            """, [.text(json(phones))]).compactMap { $0.int64("id") }
    }

    /// Open cycle `id` becomes `customer_replied`, replied at `at` (unix ms).
    static func markReplied(_ id: Int64, at: Int64, in connection: any DatabaseConnection) throws {
        try connection.run("""
            UPDATE renewals SET status = 'customer_replied', stop_reason = NULL, replied_at = ?, updated_at = ?
            WHERE id = ? AND status = 'open'
            """, [.integer(at), .integer(at), .integer(id)])
    }

    /// The language of the newest reminder of cycles `ids` sent to one of `phones`, else the language those phones
    /// last spoke to us in (their opt-out or opt-in keyword); nil when neither is known.
    static func language(renewals ids: [Int64], phones: [String], in connection: any DatabaseConnection) throws -> String? {
        let phoneList = SQLValue.text(json(phones))
        if let reminded = try connection.queryOne("""
            SELECT language FROM renewal_attempts
            WHERE renewal_id IN (\(connection.dialect.jsonArrayElements(as: "INTEGER")))
              AND phone IN (\(connection.dialect.jsonArrayElements()))
              AND language IS NOT NULL
            ORDER BY id DESC LIMIT 1
            """, [.text("[" + ids.map(String.init).joined(separator: ",") + "]"), phoneList])?.string("language") {
            return reminded
        }
        return try connection.queryOne("""
            SELECT language FROM renewal_opt_outs WHERE phone IN (\(connection.dialect.jsonArrayElements()))
            ORDER BY updated_at DESC LIMIT 1
            """, [phoneList])?.string("language")
    }

    /// `["601…", …]`: phones are digits, nothing to escape.
    private static func json(_ phones: [String]) -> String {
        "[" + phones.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }
}
