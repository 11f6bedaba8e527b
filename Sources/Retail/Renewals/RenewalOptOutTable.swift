import Storage

/// Writes of `renewal_opt_outs` and the renewal cycles an opt-out or opt-in touches.
enum RenewalOptOutTable {
    static func optOut(_ phone: String, contactID: String?, keyword: String, language: String, at: Int64,
                       in connection: any DatabaseConnection) throws {
        try connection.run("""
            INSERT INTO renewal_opt_outs (phone, contact_id, keyword, language, opted_out_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (phone) DO UPDATE SET contact_id = coalesce(excluded.contact_id, renewal_opt_outs.contact_id),
                keyword = excluded.keyword, language = excluded.language,
                opted_out_at = coalesce(renewal_opt_outs.opted_out_at, excluded.opted_out_at),
                updated_at = excluded.updated_at
            """, [.text(phone), SQLValue(contactID), .text(keyword), .text(language), .integer(at), .integer(at)])
    }

    /// Opts `phone` back in; false when it had not opted out.
    static func optIn(_ phone: String, keyword: String, language: String, at: Int64,
                      in connection: any DatabaseConnection) throws -> Bool {
        try connection.run("""
            UPDATE renewal_opt_outs SET opted_out_at = NULL, opted_in_at = ?, keyword = ?, language = ?, updated_at = ?
            WHERE phone = ? AND opted_out_at IS NOT NULL
            """, [.integer(at), .text(keyword), .text(language), .integer(at), .text(phone)])
        return connection.changes == 1
    }

    /// Open cycles of outlets listing `phone` whose every phone has opted out become `opted_out`.
    static func stopCycles(of phone: String, at: Int64, in connection: any DatabaseConnection) throws {
        try connection.run("""
            UPDATE renewals SET status = 'opted_out', stop_reason = 'opted_out', updated_at = ?
            WHERE status = 'open' AND oid IN (SELECT oid FROM outlet_phones WHERE phone = ?)
              AND NOT EXISTS (SELECT 1 FROM outlet_phones q LEFT JOIN renewal_opt_outs x ON x.phone = q.phone
                              WHERE q.oid = renewals.oid AND x.opted_out_at IS NULL)
            """, [.integer(at), .text(phone)])
    }

    /// `opted_out` cycles of outlets listing `phone` reopen.
    static func reopenCycles(of phone: String, at: Int64, in connection: any DatabaseConnection) throws {
        try connection.run("""
            UPDATE renewals SET status = 'open', stop_reason = NULL, updated_at = ?
            WHERE status = 'opted_out' AND oid IN (SELECT oid FROM outlet_phones WHERE phone = ?)
            """, [.integer(at), .text(phone)])
    }
}
