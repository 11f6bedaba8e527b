import Delivery
import GatewayKit
import Storage

/// Managing users (admins, through `/v1/users` and `gateway user create`): every change audited in its transaction.
/// A caller grants no more than it holds: a scoped admin creates and edits only users inside its own scope. Passwords
/// are hashed before the write is queued, never on the writer.
public struct UserAccounts: Sendable {
    private let database: any Database
    private let passwordIterations: Int
    /// Told after a commit that changed a user, so cached credentials of that user are dropped at once.
    private let changed: @Sendable () -> Void

    public init(database: any Database, passwordIterations: Int, changed: @escaping @Sendable () -> Void = {}) {
        self.database = database
        self.passwordIterations = passwordIterations
        self.changed = changed
    }

    public func create(_ user: NewUser, by caller: Caller, now: Int64, answer: @escaping Answer<UserRecord>) {
        guard caller.principal.scope.includes(user.scope) else {
            return answer(.failure(.validation([Self.scopeError])))
        }
        let hash = PasswordHash.make(user.password, iterations: passwordIterations)
        database.write({ c in try Self.create(user, passwordHash: hash, by: caller, now: now, in: c) }, answer: answer)
    }

    /// The same inside the caller's transaction, the password already hashed (the command line's own write).
    public static func create(_ user: NewUser, passwordHash: String, by caller: Caller, now: Int64,
                              in c: any DatabaseConnection) throws -> UserRecord {
        let id = try UserRecords.insert(user, passwordHash: passwordHash, now: now, in: c)
        try AuditTrail.record(AuditEntry(action: "user.created", subjectType: "user", subjectID: String(id),
                                         detail: ["role": .string(user.role.rawValue),
                                                  "scope": .array(user.scope.texts.map(JSONValue.string))]),
                              by: caller, at: now, in: c)
        guard let record = try UserRecords.find(id: id, in: c) else { throw GatewayError.notFound("user \(id)") }
        return record
    }

    /// Users the caller may see: all of them for an unrestricted caller, otherwise those inside its scope.
    public func list(for caller: Caller) throws -> [UserRecord] {
        try database.read { try UserRecords.all(in: $0) }.filter { visible($0, to: caller) }
    }

    public func find(_ id: Int64, for caller: Caller) throws -> UserRecord? {
        try database.read { try UserRecords.find(id: id, in: $0) }.flatMap { visible($0, to: caller) ? $0 : nil }
    }

    /// Applies `change`; disabling a user also ends their sessions. 404 for a user the caller cannot see.
    public func update(_ id: Int64, _ change: UserChange, by caller: Caller, now: Int64,
                       answer: @escaping Answer<UserRecord>) {
        if let scope = change.scope, !caller.principal.scope.includes(scope) {
            return answer(.failure(.validation([Self.scopeError])))
        }
        if caller.principal.userID == id, change.disabled == true || (change.role.map { $0 != .admin } ?? false) {
            return answer(.failure(.conflict("you cannot disable yourself or take your own admin role away")))
        }
        let hash = change.password.map { PasswordHash.make($0, iterations: passwordIterations) }
        let changed = self.changed
        database.write({ [self] c in
            guard let before = try UserRecords.find(id: id, in: c), visible(before, to: caller) else {
                throw GatewayError.notFound("no user with id \(id)")
            }
            try UserRecords.update(id, change, passwordHash: hash, now: now, in: c)
            if change.disabled == true || hash != nil {
                try Sessions.endAll(userID: id, now: now, in: c)
            }
            var detail = change.auditDetail
            if change.role != nil { detail["previous_role"] = .string(before.role.rawValue) }
            try AuditTrail.record(AuditEntry(action: "user.updated", subjectType: "user", subjectID: String(id),
                                             detail: detail), by: caller, at: now, in: c)
            c.afterCommit("access.changed", changed)
            guard let after = try UserRecords.find(id: id, in: c) else { throw GatewayError.notFound("user \(id)") }
            return after
        }, answer: answer)
    }

    private func visible(_ user: UserRecord, to caller: Caller) -> Bool {
        caller.principal.scope.includes(user.scope)
    }

    static let scopeError = FieldError(field: "scope", message: "must lie within your own scope")
}
