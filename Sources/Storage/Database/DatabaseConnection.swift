/// A connection inside a unit of work: statements with bound parameters (prepared once and cached by the engine),
/// rows back, savepoints, and wake-ups that wait for the commit.
///
/// Feature code and repositories are written against this protocol and never against an engine type, so the same
/// SQL runs on the embedded engine and on a server engine. Keep statements portable: `?` placeholders, `ON CONFLICT`
/// upserts, `RETURNING` rather than engine-specific last-row functions where a statement is new, and text or integer
/// columns for times. What differs between engines lives in the engine's implementation (and, for schema, in each
/// migration), never in a caller.
public protocol DatabaseConnection: AnyObject {
    /// What the database is, for keying in-process wake-ups (a file path, or a server's database name). Never holds a
    /// credential.
    var location: String { get }
    /// Which engine's SQL this connection speaks, for the rare statement that cannot be written for both.
    var dialect: SQLDialect { get }

    /// Runs one statement with `parameters` bound to its `?` placeholders.
    func run(_ sql: String, _ parameters: [SQLValue]) throws
    /// Runs one query with bound `parameters`; every row of the result.
    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [Row]
    /// Runs one query with bound `parameters`; its first row, or nil.
    func queryOne(_ sql: String, _ parameters: [SQLValue]) throws -> Row?
    /// Runs a script of statements without parameters (schema changes in migrations).
    func execute(_ sql: String) throws

    /// Rows changed by the last statement.
    var changes: Int { get }
    /// The key of the row the last `INSERT` created.
    var lastInsertRowID: Int64 { get }
    /// True while a transaction is open on this connection.
    var isInTransaction: Bool { get }

    /// Runs `body` so that, if it throws, only its own changes are undone (nested inside the unit of work's
    /// transaction; a transaction of its own when there is none).
    func savepoint<T>(_ body: () throws -> T) throws -> T
    /// Runs `body` as one transaction (a savepoint when one is already open).
    func transaction<T>(_ body: () throws -> T) throws -> T
    /// Runs `body` on one consistent read snapshot.
    func readTransaction<T>(_ body: () throws -> T) throws -> T
    /// Runs `action` once the open transaction has committed (once per `key`); dropped if it rolls back.
    func afterCommit(_ key: String, _ action: @escaping @Sendable () -> Void)
}

extension DatabaseConnection {
    public func run(_ sql: String) throws { try run(sql, []) }
    public func query(_ sql: String) throws -> [Row] { try query(sql, []) }
    public func queryOne(_ sql: String) throws -> Row? { try queryOne(sql, []) }
}

extension DatabaseConnection {
    /// Runs `work` with deleted and overwritten content zeroed in full (`secure_delete`), also where that costs extra
    /// writes: an erasure's own changes leave nothing readable in free space. (PostgreSQL has no such switch: its
    /// deleted rows are reclaimed by vacuum, see ``PostgresDatabase/purgeDeletedContent()``.)
    public func eraseThoroughly<T>(_ work: () throws -> T) throws -> T {
        guard dialect == .sqlite else { return try work() }
        try execute("PRAGMA secure_delete = ON")
        defer { try? execute("PRAGMA secure_delete = FAST") }
        return try work()
    }
}
