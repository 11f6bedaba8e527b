import Crypto
import Delivery
import GatewayKit
import Storage

/// Replay ledger of a REST POST carrying `Idempotency-Key`: the same key and body get the first answer; the same key
/// with a different body is refused (409), since applying or answering it would both be wrong.
public struct IdempotencyKeyLedger: ReplayLedger {
    /// How long keys are remembered (`gateway purge` forgets older ones).
    public static let retentionMilliseconds: Int64 = 86_400_000

    private let route: String
    private let key: String
    private let requestHash: [UInt8]
    private let now: Int64

    /// - Parameter route: the method and route pattern (`POST /v1/deals`): keys are scoped to it.
    public init(route: String, key: String, body: [UInt8], now: Int64) {
        self.route = route
        self.key = key
        self.requestHash = SHA256Digest.hash(body)
        self.now = now
    }

    /// A usable key: 1–255 visible ASCII characters.
    public static func isValid(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= 255 && key.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    public func storedReply(in connection: any DatabaseConnection) throws -> CommandReply? {
        guard let row = try connection.queryOne("""
            SELECT request_hash, response_status, response_body FROM api_idempotency WHERE route = ? AND key = ?
            """, [.text(route), .text(key)]) else { return nil }
        guard row.blob("request_hash") == requestHash else {
            throw CommandRejection(.conflict("Idempotency-Key \(key) was already used with a different request body"))
        }
        return CommandReply(status: row.int("response_status") ?? 500, body: row.blob("response_body") ?? [],
                            replayed: true)
    }

    public func record(_ reply: CommandReply, in connection: any DatabaseConnection) throws {
        try connection.run("""
            INSERT INTO api_idempotency (route, key, request_hash, response_status, response_body, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [.text(route), .text(key), .blob(requestHash), .integer(Int64(reply.status)), .blob(reply.body),
                  .integer(now)])
    }

    /// Forgets keys older than `cutoff` (at most `limit`); returns how many.
    public static func purge(before cutoff: Int64, limit: Int, in connection: any DatabaseConnection) throws -> Int {
        try connection.run("""
            DELETE FROM api_idempotency WHERE (route, key) IN (
                SELECT route, key FROM api_idempotency WHERE created_at < ? ORDER BY created_at LIMIT ?)
            """, [.integer(cutoff), .integer(Int64(limit))])
        return connection.changes
    }
}
