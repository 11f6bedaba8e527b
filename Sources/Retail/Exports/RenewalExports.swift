import Access
import Storage

/// The renewal exports: `renewals.csv` (cycles due within the period) and `renewal-attempts.csv` (reminder attempts
/// scheduled within it, with their cycle's outlet). Both are scoped by the cycle's franchise and outlet.
package enum RenewalExports {
    package static func tables(database: any Database) -> [any ExportTable] {
        [renewals(database), attempts(database)]
    }

    static func renewals(_ database: any Database) -> any ExportTable {
        KeysetExport(
            kind: "renewals", timeColumn: "due_date",
            columns: [("id", .number), ("fid", .text), ("oid", .text), ("due_date", .text), ("status", .text),
                      ("stop_reason", .text), ("renewed_at", .time), ("new_expiry_date", .text),
                      ("renewed_after_reminder", .number), ("renewed_after_expiry", .number), ("created_at", .time),
                      ("updated_at", .time)],
            select: { sql in """
                SELECT id, fid, oid, due_date, status, stop_reason, renewed_at, new_expiry_date,
                       renewed_after_reminder, renewed_after_expiry, created_at, updated_at
                FROM renewals WHERE \(sql.unindexed("due_date")) BETWEEN ? AND ?
                """ },
            bounds: KeysetExport.days, key: "id", outlet: (fid: "fid", oid: "oid"), database: database)
    }

    static func attempts(_ database: any Database) -> any ExportTable {
        KeysetExport(
            kind: "renewal-attempts", timeColumn: "scheduled_date",
            columns: [("id", .number), ("renewal_id", .number), ("fid", .text), ("oid", .text),
                      ("offset_days", .number), ("scheduled_date", .text), ("phone", .text), ("channel", .text),
                      ("template", .text), ("language", .text), ("result", .text), ("detail", .text),
                      ("sent_at", .time), ("created_at", .time), ("updated_at", .time)],
            select: { sql in """
                SELECT a.id, a.renewal_id, r.fid, r.oid, a.offset_days, a.scheduled_date, a.phone, a.channel,
                       a.template, a.language, a.result, a.detail, a.sent_at, a.created_at, a.updated_at
                FROM renewal_attempts a JOIN renewals r ON r.id = a.renewal_id
                WHERE \(sql.unindexed("a.scheduled_date")) BETWEEN ? AND ?
                """ },
            bounds: KeysetExport.days, key: "a.id", outlet: (fid: "r.fid", oid: "r.oid"), database: database)
    }
}
