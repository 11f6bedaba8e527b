import Storage

/// Migration 8: less write amplification on the `deal.created` path (measured in BENCHMARKS.md).
///
/// `deals_by_room` and `deals_by_contact` were written on every insert — each a random leaf page, so together half of
/// the WAL frames a deal cost — and read by nothing: the list query filters with `(? IS NULL OR room_id = ?)`, which
/// SQLite cannot answer from an index, and a room's deal is read from `room_previews`. A query that needs deals by
/// contact should add its own index together with the query. Tickets keep theirs (their list filters are changing).
enum DealWritePathMigration {
    static let migration = Migration(version: 8, name: "deal write path", sql: """
        DROP INDEX IF EXISTS deals_by_room;
        DROP INDEX IF EXISTS deals_by_contact;
        """)
}
