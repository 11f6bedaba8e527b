import Storage

/// How much work the outbox holds, for `/metrics`: rows not yet delivered or dead-lettered, and how long the oldest
/// of them has been waiting.
public struct OutboxStats: Sendable, Equatable {
    public let depth: Int
    /// Unix ms of the oldest live row's state change; nil when the outbox is empty.
    public let oldestCreatedAt: Int64?

    public static func read(in connection: SQLiteConnection) throws -> OutboxStats {
        let row = try connection.queryOne("""
            SELECT count(*) AS depth, min(created_at) AS oldest FROM outbox WHERE status IN ('pending', 'in_flight')
            """)
        return OutboxStats(depth: row?.int("depth") ?? 0, oldestCreatedAt: row?.int64("oldest"))
    }
}
