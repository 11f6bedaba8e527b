/// Transactions and savepoints.
///
/// Both nest: inside an open transaction, ``SQLiteConnection/transaction(_:)`` becomes a savepoint,
/// and outside one, ``SQLiteConnection/savepoint(_:)`` becomes a `BEGIN IMMEDIATE` transaction.
/// That lets domain code say "this must be atomic" without knowing whether it runs on its own or
/// inside a ``SQLiteWriter`` batch, which already holds a transaction.
extension SQLiteConnection {
    /// Runs `body` in a transaction: `BEGIN IMMEDIATE` ... `COMMIT`, or `ROLLBACK` if `body` or
    /// `COMMIT` throws. IMMEDIATE takes the write lock up front, so the transaction cannot fail
    /// half-way with SQLITE_BUSY when it upgrades from reading to writing.
    ///
    /// Inside an already open transaction this is a savepoint (committed with the outer transaction).
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return try savepoint(body) }
        return try run(body, between: "BEGIN IMMEDIATE")
    }

    /// Runs `body` inside `SAVEPOINT sp_N` ... `RELEASE sp_N`; if it throws, only its own changes are
    /// undone (`ROLLBACK TO sp_N` then `RELEASE sp_N`) and the error is rethrown. Nestable.
    ///
    /// Outside a transaction this opens one with ``transaction(_:)``.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        if !isInTransaction { return try transaction(body) }
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let statements = SavepointStatements.at(depth: savepointDepth)
        try run(statements.begin)
        let value: T
        do {
            value = try body()
            try run(statements.release)
        } catch {
            // Some errors (SQLITE_FULL, IOERR, BUSY, NOMEM) can make SQLite roll back the whole
            // transaction by itself; then there is no savepoint left to roll back to.
            if isInTransaction {
                try? run(statements.rollback)
                try? run(statements.release)
            }
            throw error
        }
        return value
    }

    /// Runs `body` in a deferred (read) transaction so several queries see one consistent snapshot.
    /// Works on read-only connections. Inside an open transaction it just runs `body`.
    public func readTransaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return try body() }
        return try run(body, between: "BEGIN DEFERRED")
    }

    /// `begin`, then `body`, then `COMMIT`; `ROLLBACK` if `body` or `COMMIT` throws.
    private func run<T>(_ body: () throws -> T, between begin: String) throws -> T {
        try run(begin)
        let value: T
        do {
            value = try body()
            try run("COMMIT")
        } catch {
            rollbackIfOpen()
            throw error
        }
        runCommitActions()
        return value
    }

    /// Rolls back the open transaction, if SQLite has not already done so, and drops its commit actions. Errors are
    /// ignored: this runs while another error is being reported, and that one matters more.
    func rollbackIfOpen() {
        discardCommitActions()
        guard isInTransaction else { return }
        try? run("ROLLBACK")
    }
}

/// The statements of savepoint `sp_N`, built once per nesting depth: every writer operation and inbox item opens and
/// releases one, and building the text each time cost an interpolation per statement.
struct SavepointStatements {
    let begin: String
    let release: String
    let rollback: String

    private init(depth: Int) {
        let name = "sp_\(depth)"
        begin = "SAVEPOINT \(name)"
        release = "RELEASE \(name)"
        rollback = "ROLLBACK TO \(name)"
    }

    private static let built = (0...8).map(SavepointStatements.init(depth:))

    static func at(depth: Int) -> SavepointStatements {
        depth < built.count ? built[depth] : SavepointStatements(depth: depth)
    }
}
