import GatewayKit
import Storage

/// A row of `users` with its scope, as the access checks and the API see it (never the password hash in JSON).
public struct UserRecord: Sendable, Equatable {
    public let id: Int64
    public let email: String
    public let name: String?
    public let role: Role
    public let scope: AccessScope
    let passwordHash: String
    public let createdAt: Int64
    public let updatedAt: Int64
    public let disabledAt: Int64?

    /// `{"id", "email", "name", "role", "scope": [...], "created_at", "updated_at", "disabled_at"}`.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .integer(id), "email": .string(email), "name": name.map(JSONValue.string) ?? .null,
            "role": .string(role.rawValue), "scope": .array(scope.texts.map(JSONValue.string)),
            "created_at": .string(Timestamps.rfc3339(createdAt)), "updated_at": .string(Timestamps.rfc3339(updatedAt)),
        ]
        object["disabled_at"] = disabledAt.map { .string(Timestamps.rfc3339($0)) } ?? .null
        return .object(object)
    }

    /// The principal of a session of this user.
    func principal(sessionID: Int64) -> Principal {
        Principal(kind: .session, credentialID: "session:\(sessionID)", userID: id, actor: email, role: role,
                  scope: scope)
    }
}

/// The `users` and `user_scope` tables.
enum UserRecords {
    static func find(id: Int64, in c: any DatabaseConnection) throws -> UserRecord? {
        try c.queryOne("SELECT * FROM users WHERE id = ?", [.integer(id)]).map { try record($0, in: c) }
    }

    static func find(email: String, in c: any DatabaseConnection) throws -> UserRecord? {
        try c.queryOne("SELECT * FROM users WHERE email = ?", [.text(email)]).map { try record($0, in: c) }
    }

    static func all(in c: any DatabaseConnection) throws -> [UserRecord] {
        try c.query("SELECT * FROM users ORDER BY id").map { try record($0, in: c) }
    }

    /// The users matching `condition` (SQL over `users` with `parameters`), by id.
    static func select(_ condition: String, _ parameters: [SQLValue], in c: any DatabaseConnection) throws -> [UserRecord] {
        try c.query("SELECT * FROM users WHERE \(condition) ORDER BY id", parameters).map { try record($0, in: c) }
    }

    static func insert(_ user: NewUser, passwordHash: String, now: Int64, in c: any DatabaseConnection) throws -> Int64 {
        if try c.queryOne("SELECT id FROM users WHERE email = ?", [.text(user.email)]) != nil {
            throw GatewayError.conflict("a user with this email already exists")
        }
        try c.run("""
            INSERT INTO users (email, name, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            """, [.text(user.email), user.name.map(SQLValue.text) ?? .null, .text(passwordHash),
                  .text(user.role.rawValue), .integer(now), .integer(now)])
        let id = c.lastInsertRowID
        try ScopeRows.replace(.user(id), with: user.scope, in: c)
        return id
    }

    static func update(_ id: Int64, _ change: UserChange, passwordHash: String?, now: Int64,
                       in c: any DatabaseConnection) throws {
        var sets = ["updated_at = ?"]
        var values: [SQLValue] = [.integer(now)]
        if let role = change.role { sets.append("role = ?"); values.append(.text(role.rawValue)) }
        if let name = change.name { sets.append("name = ?"); values.append(.text(name)) }
        if let passwordHash { sets.append("password_hash = ?"); values.append(.text(passwordHash)) }
        if let disabled = change.disabled {
            sets.append(disabled ? "disabled_at = COALESCE(disabled_at, ?)" : "disabled_at = NULL")
            if disabled { values.append(.integer(now)) }
        }
        try c.run("UPDATE users SET \(sets.joined(separator: ", ")) WHERE id = ?", values + [.integer(id)])
        if let scope = change.scope { try ScopeRows.replace(.user(id), with: scope, in: c) }
    }

    private static func record(_ row: Row, in c: any DatabaseConnection) throws -> UserRecord {
        let id = row.int64("id") ?? 0
        return UserRecord(id: id, email: row.string("email") ?? "", name: row.string("name"),
                          role: Role(rawValue: row.string("role") ?? "") ?? .agent,
                          scope: try ScopeRows.load(.user(id), in: c), passwordHash: row.string("password_hash") ?? "",
                          createdAt: row.int64("created_at") ?? 0, updatedAt: row.int64("updated_at") ?? 0,
                          disabledAt: row.int64("disabled_at"))
    }
}
