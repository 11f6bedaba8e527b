import Storage

/// The `user_sessions` table: console sign-ins, found by the digest of the cookie's secret.
enum Sessions {
    /// A live session and its user.
    struct Live {
        let id: Int64
        let user: UserRecord
        let lastSeenAt: Int64
    }

    static func insert(userID: Int64, digest: String, now: Int64, lifetime: Int64, sourceIP: String?,
                       in c: any DatabaseConnection) throws -> Int64 {
        try c.run("""
            INSERT INTO user_sessions (session_hash, user_id, created_at, last_seen_at, expires_at, source_ip)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [.text(digest), .integer(userID), .integer(now), .integer(now), .integer(now + lifetime),
                  sourceIP.map(SQLValue.text) ?? .null])
        return c.lastInsertRowID
    }

    /// The session behind `digest` when it is neither ended, past its absolute expiry, idle longer than `idle`
    /// milliseconds, nor of a disabled user.
    static func live(digest: String, now: Int64, idle: Int64, in c: any DatabaseConnection) throws -> Live? {
        guard let row = try c.queryOne("""
            SELECT id, user_id, last_seen_at FROM user_sessions
            WHERE session_hash = ? AND ended_at IS NULL AND expires_at > ? AND last_seen_at > ?
            """, [.text(digest), .integer(now), .integer(now - idle)]),
            let id = row.int64("id"), let userID = row.int64("user_id"),
            let user = try UserRecords.find(id: userID, in: c), user.disabledAt == nil
        else { return nil }
        return Live(id: id, user: user, lastSeenAt: row.int64("last_seen_at") ?? now)
    }

    static func touch(_ id: Int64, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE user_sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?",
                  [.integer(now), .integer(id), .integer(now)])
    }

    static func end(_ id: Int64, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE user_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                  [.integer(now), .integer(id)])
    }

    static func endAll(userID: Int64, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE user_sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL",
                  [.integer(now), .integer(userID)])
    }
}
