import Storage

/// The scope tables (`user_scope`, `api_token_scope`): one row per grant of a holder; no rows = unrestricted.
enum ScopeRows {
    enum Holder {
        case user(Int64)
        case token(Int64)

        var table: String {
            switch self {
            case .user: return "user_scope"
            case .token: return "api_token_scope"
            }
        }

        var column: String {
            switch self {
            case .user: return "user_id"
            case .token: return "token_id"
            }
        }

        var id: Int64 {
            switch self {
            case .user(let id), .token(let id): return id
            }
        }
    }

    static func load(_ holder: Holder, in c: any DatabaseConnection) throws -> AccessScope {
        let rows = try c.query("""
            SELECT fid, oid FROM \(holder.table) WHERE \(holder.column) = ? ORDER BY \(c.dialect.insertionOrder)
            """, [.integer(holder.id)])
        return AccessScope(rows.map { AccessScope.Grant(fid: $0.string("fid"), oid: $0.string("oid")) })
    }

    static func replace(_ holder: Holder, with scope: AccessScope, in c: any DatabaseConnection) throws {
        try c.run("DELETE FROM \(holder.table) WHERE \(holder.column) = ?", [.integer(holder.id)])
        for grant in scope.grants {
            try c.run("INSERT INTO \(holder.table) (\(holder.column), fid, oid) VALUES (?, ?, ?)",
                      [.integer(holder.id), grant.fid.map(SQLValue.text) ?? .null,
                       grant.oid.map(SQLValue.text) ?? .null])
        }
    }
}
