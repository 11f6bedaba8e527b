import GatewayKit
import Storage

/// A row of `api_tokens` with its scope (never the secret, which is not stored).
public struct TokenRecord: Sendable, Equatable {
    public let id: Int64
    public let name: String
    /// The secret's first characters, to recognise a token in a list.
    public let prefix: String
    public let role: Role
    public let scope: AccessScope
    public let createdBy: String
    public let createdAt: Int64
    public let expiresAt: Int64?
    public let revokedAt: Int64?
    public let lastUsedAt: Int64?

    /// `active`, `expired` or `revoked` at `now`.
    public func status(at now: Int64) -> String {
        if revokedAt != nil { return "revoked" }
        if let expiresAt, expiresAt <= now { return "expired" }
        return "active"
    }

    public var principal: Principal {
        Principal(kind: .token, credentialID: "token:\(id)", userID: nil, actor: name, role: role, scope: scope)
    }

    public func json(at now: Int64) -> JSONValue {
        func time(_ millis: Int64?) -> JSONValue { millis.map { .string(Timestamps.rfc3339($0)) } ?? .null }
        return ["id": .integer(id), "name": .string(name), "prefix": .string(prefix), "role": .string(role.rawValue),
                "scope": .array(scope.texts.map(JSONValue.string)), "created_by": .string(createdBy),
                "created_at": time(createdAt), "expires_at": time(expiresAt), "revoked_at": time(revokedAt),
                "last_used_at": time(lastUsedAt), "status": .string(status(at: now))]
    }
}

/// The `api_tokens` and `api_token_scope` tables.
enum TokenRecords {
    static func insert(_ token: NewToken, digest: String, prefix: String, createdBy: String, now: Int64,
                       in c: any DatabaseConnection) throws -> Int64 {
        try c.run("""
            INSERT INTO api_tokens (name, token_hash, prefix, role, created_by, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.text(token.name), .text(digest), .text(prefix), .text(token.role.rawValue), .text(createdBy),
                  .integer(now), token.lifetime.map { .integer(now + $0) } ?? .null])
        let id = c.lastInsertRowID
        try ScopeRows.replace(.token(id), with: token.scope, in: c)
        return id
    }

    static func find(id: Int64, in c: any DatabaseConnection) throws -> TokenRecord? {
        try c.queryOne("SELECT * FROM api_tokens WHERE id = ?", [.integer(id)]).map { try record($0, in: c) }
    }

    static func find(digest: String, in c: any DatabaseConnection) throws -> TokenRecord? {
        try c.queryOne("SELECT * FROM api_tokens WHERE token_hash = ?", [.text(digest)]).map { try record($0, in: c) }
    }

    static func all(in c: any DatabaseConnection) throws -> [TokenRecord] {
        try c.query("SELECT * FROM api_tokens ORDER BY id").map { try record($0, in: c) }
    }

    static func revoke(_ id: Int64, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                  [.integer(now), .integer(id)])
    }

    static func touch(_ id: Int64, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [.integer(now), .integer(id)])
    }

    private static func record(_ row: Row, in c: any DatabaseConnection) throws -> TokenRecord {
        let id = row.int64("id") ?? 0
        return TokenRecord(id: id, name: row.string("name") ?? "", prefix: row.string("prefix") ?? "",
                           role: Role(rawValue: row.string("role") ?? "") ?? .agent,
                           scope: try ScopeRows.load(.token(id), in: c), createdBy: row.string("created_by") ?? "",
                           createdAt: row.int64("created_at") ?? 0, expiresAt: row.int64("expires_at"),
                           revokedAt: row.int64("revoked_at"), lastUsedAt: row.int64("last_used_at"))
    }
}
