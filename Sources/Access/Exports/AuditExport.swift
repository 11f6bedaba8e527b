import Storage

/// `audit-events.csv`: every audited change made within the period. Audit events carry no outlet, so only
/// unrestricted callers may export them.
package enum AuditExport {
    package static func table(database: any Database) -> any ExportTable {
        KeysetExport(
            kind: "audit-events", timeColumn: "at",
            columns: [("id", .number), ("at", .time), ("actor", .text), ("credential_id", .text), ("action", .text),
                      ("subject_type", .text), ("subject_id", .text), ("detail", .text), ("request_id", .text),
                      ("source_ip", .text)],
            select: { sql in """
                SELECT id, at, actor, credential_id, action, subject_type, subject_id, detail, request_id, source_ip
                FROM audit_events WHERE \(sql.unindexed("at")) >= ? AND \(sql.unindexed("at")) < ?
                """ },
            bounds: KeysetExport.instants, key: "id", outlet: nil, database: database)
    }
}
