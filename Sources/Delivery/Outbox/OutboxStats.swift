import Storage

/// How much work the outbox holds, for `/metrics`: rows not yet delivered or dead-lettered, how long the oldest of
/// them has been waiting, and per endpoint since when the oldest has been due.
public struct OutboxStats: Sendable, Equatable {
    public let depth: Int
    /// Unix ms of the oldest live row's state change; nil when the outbox is empty.
    public let oldestCreatedAt: Int64?

    public static func read(in connection: any DatabaseConnection) throws -> OutboxStats {
        let row = try connection.queryOne("""
            SELECT count(*) AS depth, min(created_at) AS oldest FROM outbox WHERE status IN ('pending', 'in_flight')
            """)
        return OutboxStats(depth: row?.int("depth") ?? 0, oldestCreatedAt: row?.int64("oldest"))
    }

    /// Per endpoint with queued or in-flight rows among `endpoints`: the earliest first due time (unix ms) of them,
    /// what the retry horizon (`outbound.max_retry_age`) counts from. One index seek per endpoint.
    public static func oldestFirstDue(endpoints: [EndpointName],
                                      in connection: any DatabaseConnection) throws -> [EndpointName: Int64] {
        var oldest: [EndpointName: Int64] = [:]
        for endpoint in endpoints {
            oldest[endpoint] = try connection.queryOne("""
                SELECT min(first_due_at) AS due FROM outbox
                WHERE endpoint = ? AND status IN ('pending', 'in_flight') AND delivered_at IS NULL
                """, [.text(endpoint.rawValue)])?.int64("due")
        }
        return oldest
    }
}
