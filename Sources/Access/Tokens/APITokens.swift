import Delivery
import GatewayKit
import Storage

/// API tokens for integrations and scripts: created with a role and scope, the secret shown once, stored as its
/// digest, listed without it, revoked at once. Every change is audited in its transaction; a scoped admin grants no
/// more than it holds.
public struct APITokens: Sendable {
    private let database: any Database
    /// Told after a commit that revoked a token, so the gate's cache forgets it at once.
    private let changed: @Sendable () -> Void

    public init(database: any Database, changed: @escaping @Sendable () -> Void = {}) {
        self.database = database
        self.changed = changed
    }

    /// A created token: its record and the secret (`gwt_…`), which is not stored and cannot be shown again.
    public struct Created: Sendable {
        public let record: TokenRecord
        public let secret: String
    }

    public func create(_ token: NewToken, by caller: Caller, now: Int64, answer: @escaping Answer<Created>) {
        guard caller.principal.scope.includes(token.scope) else {
            return answer(.failure(.validation([UserAccounts.scopeError])))
        }
        database.write({ c in try Self.create(token, by: caller, now: now, in: c) }, answer: answer)
    }

    /// The same inside the caller's transaction (the command line's own write).
    public static func create(_ token: NewToken, by caller: Caller, now: Int64,
                              in c: any DatabaseConnection) throws -> Created {
        let secret = CredentialSecret.make(prefix: CredentialSecret.tokenPrefix)
        let prefix = String(secret.prefix(CredentialSecret.tokenPrefix.count + 6))
        let id = try TokenRecords.insert(token, digest: CredentialSecret.digest(secret), prefix: prefix,
                                         createdBy: caller.actor, now: now, in: c)
        var detail: [String: JSONValue] = ["role": .string(token.role.rawValue),
                                           "scope": .array(token.scope.texts.map(JSONValue.string))]
        detail.put("lifetime_ms", token.lifetime)
        try AuditTrail.record(AuditEntry(action: "token.created", subjectType: "token", subjectID: String(id),
                                         detail: detail), by: caller, at: now, in: c)
        guard let record = try TokenRecords.find(id: id, in: c) else { throw GatewayError.notFound("token \(id)") }
        return Created(record: record, secret: secret)
    }

    public func list(for caller: Caller) throws -> [TokenRecord] {
        try database.read { try TokenRecords.all(in: $0) }.filter { caller.principal.scope.includes($0.scope) }
    }

    /// Revokes token `id` (revoking a revoked one changes nothing and is not audited again); 404 when the caller
    /// cannot see it.
    public func revoke(_ id: Int64, by caller: Caller, now: Int64, answer: @escaping Answer<TokenRecord>) {
        let changed = self.changed
        database.write({ c in
            guard let token = try TokenRecords.find(id: id, in: c), caller.principal.scope.includes(token.scope) else {
                throw GatewayError.notFound("no token with id \(id)")
            }
            if token.revokedAt == nil {
                try TokenRecords.revoke(id, now: now, in: c)
                try AuditTrail.record(AuditEntry(action: "token.revoked", subjectType: "token", subjectID: String(id)),
                                      by: caller, at: now, in: c)
                c.afterCommit("access.changed", changed)
            }
            guard let after = try TokenRecords.find(id: id, in: c) else { throw GatewayError.notFound("token \(id)") }
            return after
        }, answer: answer)
    }
}
