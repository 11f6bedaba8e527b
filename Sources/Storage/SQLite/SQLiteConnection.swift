import CSQLite
import CSQLiteJournal
import CSQLitePageCache
import Foundation

/// One SQLite database connection with a cache of prepared statements.
///
/// Not thread-safe: SQLite is opened in multi-thread mode (`SQLITE_OPEN_NOMUTEX`), so a connection
/// may move between threads but must only be used by one thread at a time. ``SQLiteWriter`` and
/// ``SQLiteReaderPool`` enforce that; code holding a bare connection must do so itself.
/// `@unchecked Sendable` only so that it can be handed over to such an owner.
public final class SQLiteConnection: @unchecked Sendable {
    /// Beyond this many distinct SQL strings statements are prepared per use instead of cached,
    /// so SQL built dynamically (which should not happen, but might) cannot grow memory without bound.
    static let statementCacheCapacity = 256

    /// The path the connection was opened with.
    public let path: String
    /// True when opened with `readOnly: true`.
    public let isReadOnly: Bool

    /// The SQLite handle; nil once closed. Read inside the module (``SQLiteConnection/reportWALLength()``).
    private(set) var database: OpaquePointer?
    /// The write-ahead log's length in frames after this connection's latest commit, once
    /// ``reportWALLength()`` turned the reporting on.
    var walFrames: Int32 = 0
    /// The cached statements by the string value of their SQL (see ``cachedStatement(_:)``).
    private var statementsBySQLValue = StatementsBySQLValue()
    private var statementCache = [String: PreparedStatement]()
    /// The running statement's text and blob parameters (``BoundBytes``).
    private let boundBytes = BoundBytes()
    /// Nesting depth of ``savepoint(_:)``, used to give each level its own savepoint name.
    var savepointDepth = 0
    /// Registered by ``afterCommit(_:_:)`` during the open transaction, in registration order.
    var commitActions: [(key: String, action: @Sendable () -> Void)] = []

    /// Opens (creating if needed, unless read-only) the database at `path` and configures it:
    /// WAL journal (read-write only; read-only connections use whatever mode the file has),
    /// `foreign_keys=ON`, the given `synchronous` level and busy timeout.
    ///
    /// A read-write open creates the parent directory if it is missing. `":memory:"` opens a
    /// private in-memory database (no WAL).
    /// - Throws: ``SQLiteError/openFailed(code:message:path:)`` or, when WAL cannot be enabled,
    ///   ``StorageError/walUnavailable(journalMode:)``.
    public init(path: String, readOnly: Bool = false, synchronous: SynchronousLevel = .full,
                busyTimeoutMilliseconds: Int32 = 5000) throws {
        self.path = path
        self.isReadOnly = readOnly
        let isInMemory = path == ":memory:" || path.isEmpty
        if !readOnly && !isInMemory {
            try Self.createParentDirectory(of: path)
        }

        _ = Self.processConfiguration
        // A connection that syncs the log at every commit gathers the log's appends until then (CSQLiteJournal).
        let buffersLog = !readOnly && !isInMemory && (synchronous == .full || synchronous == .extra)
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
            | (buffersLog ? SQLITE_OPEN_URI : 0)
        var handle: OpaquePointer?
        let status = sqlite3_open_v2(buffersLog ? Self.bufferedLogURI(path) : path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            // SQLite usually allocates a handle even when opening fails; it carries the message.
            let code = handle.map { sqlite3_extended_errcode($0) } ?? status
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_close_v2(handle)
            throw SQLiteError.openFailed(code: code, message: message, path: path)
        }
        database = handle
        sqlite3_extended_result_codes(handle, 1)

        do {
            sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
            if !readOnly && !isInMemory {
                let mode = try queryOne("PRAGMA journal_mode=WAL", cached: false)?[0]
                guard case .text(let name)? = mode, name.lowercased() == "wal" else {
                    throw StorageError.walUnavailable(journalMode: "\(mode ?? .null)")
                }
            }
            try execute("PRAGMA foreign_keys=ON; PRAGMA synchronous=\(synchronous.rawValue.uppercased());")
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// `path` as an SQLite URI asking for the gathered log (``GW_WAL_BUFFER_PARAMETER``); the characters a URI gives a
    /// meaning of its own are escaped, and an absolute path gets an empty authority so `//` cannot become a host.
    static func bufferedLogURI(_ path: String) -> String {
        let escapes: [Character: String] = ["%": "%25", "?": "%3F", "#": "%23"]
        let escaped = path.map { escapes[$0] ?? String($0) }.joined()
        return (path.hasPrefix("/") ? "file://" : "file:") + escaped + "?\(GW_WAL_BUFFER_PARAMETER)=1"
    }

    /// Process-wide SQLite settings, applied once before the first connection opens (they must precede SQLite's
    /// initialization; if something else initialized it first they are simply not applied).
    private static let processConfiguration: Void = {
        // Memory statistics take a global mutex on every SQLite allocation; ~6 % of the inbound applier's CPU.
        _ = gw_sqlite_disable_memory_statistics()
        // Every writer operation runs in a savepoint, whose undo pages SQLite keeps in a sub-journal. By default it
        // spills to a temporary file past 64 KiB: a `pwrite` per page, ~70 per new-sender message, and about a third
        // less throughput on the inbound and deal paths; a larger spill size fails operations that outgrow it ("database
        // or disk is full": SQLite copies the journal to the file in pieces of the spill size, and its Unix file layer
        // writes at most 128 KiB at once). Its never-spilling in-memory journal grows in 1 KiB pieces, each allocated
        // through `sqlite3_malloc` (a memory barrier) and freed at every release: ~9 % of the busy writer's samples.
        // So the spill size is 0 — SQLite opens the sub-journal through the VFS at once — and the process's default
        // VFS (`CSQLiteJournal`) keeps sub-journals in memory, one buffer per thread grown by doubling and reused by
        // the next transaction: never a file, never a failure for size, the cost of a big import is memory for the
        // pages it changes.
        _ = gw_sqlite_statement_journal_spill(SQLiteConnection.statementJournalSpillBytes)
        // SQLite's page cache scans itself whole at the end of most transactions that split a B-tree page (see
        // CSQLitePageCache): ~8 % of the writer with the deal path's batches. Before the VFS registration, which
        // initializes SQLite.
        _ = gw_sqlite_install_page_cache()
        _ = gw_sqlite_register_subjournal_vfs()
    }()

    /// Savepoint journals open through the VFS at once (its in-memory sub-journal), with no SQLite-side buffer first.
    static let statementJournalSpillBytes: Int32 = 0

    /// Runs one or more `;`-separated statements without parameters: schema changes and pragmas.
    /// Never build SQL containing data for this; use ``run(_:_:)`` with bound parameters.
    public func execute(_ sql: String) throws {
        let database = try openDatabase()
        var errorMessage: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(database, sql, nil, nil, &errorMessage)
        guard status == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(database))
            sqlite3_free(errorMessage)
            throw SQLiteError.executionFailed(code: sqlite3_extended_errcode(database), message: message)
        }
    }

    /// Runs a single statement with `params` bound to its `?` placeholders, discarding any rows.
    public func run(_ sql: String, _ params: [SQLValue] = []) throws {
        try withStatement(sql, params, cached: true) { statement, database in
            try statement.runToCompletion(database: database)
        }
    }

    /// Runs a single statement with bound `params` and returns all result rows.
    public func query(_ sql: String, _ params: [SQLValue] = []) throws -> [Row] {
        try withStatement(sql, params, cached: true) { statement, database in
            try statement.readRows(database: database)
        }
    }

    /// Runs a single statement with bound `params` and returns its first row, if any.
    public func queryOne(_ sql: String, _ params: [SQLValue] = []) throws -> Row? {
        try queryOne(sql, params, cached: true)
    }

    /// Rows changed by every INSERT, UPDATE or DELETE that completed since the connection opened, triggers included
    /// (`sqlite3_total_changes64`; a statement that failed and was undone adds nothing).
    var totalChanges: Int64 {
        database.map { sqlite3_total_changes64($0) } ?? 0
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE (`sqlite3_changes64`).
    public var changes: Int {
        database.map { Int(sqlite3_changes64($0)) } ?? 0
    }

    /// Rowid of the most recent successful INSERT on this connection.
    public var lastInsertRowID: Int64 {
        database.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// True while a transaction is open (SQLite is not in autocommit mode).
    public var isInTransaction: Bool {
        database.map { sqlite3_get_autocommit($0) == 0 } ?? false
    }

    /// Number of prepared statements currently cached (diagnostics and tests).
    public var cachedStatementCount: Int { statementCache.count }

    /// The heap this connection holds now, by SQLite's own count: its page cache (grows up to `PRAGMA cache_size`) and
    /// its prepared statements with the schema they were compiled against (bounded by the statement cache). Ask from
    /// the thread that is using the connection.
    public var memory: SQLiteMemory {
        SQLiteMemory(pageCache: status(SQLITE_DBSTATUS_CACHE_USED),
                     statements: status(SQLITE_DBSTATUS_STMT_USED) + status(SQLITE_DBSTATUS_SCHEMA_USED))
    }

    private func status(_ counter: Int32) -> Int {
        guard let database else { return 0 }
        var current: Int32 = 0
        var highest: Int32 = 0
        return sqlite3_db_status(database, counter, &current, &highest, 0) == SQLITE_OK ? Int(current) : 0
    }

    /// True once ``close()`` has run.
    public var isClosed: Bool { database == nil }

    /// Finalizes cached statements and closes the connection. Safe to call more than once.
    public func close() {
        guard let database else { return }
        for statement in statementCache.values {
            statement.finalize()
        }
        statementCache.removeAll()
        statementsBySQLValue.removeAll()
        // close_v2 defers the close until any statement we failed to finalize is gone instead of
        // failing with SQLITE_BUSY and leaking the handle.
        sqlite3_close_v2(database)
        self.database = nil
    }

    // MARK: - Internals

    func queryOne(_ sql: String, _ params: [SQLValue] = [], cached: Bool) throws -> Row? {
        try withStatement(sql, params, cached: cached) { statement, database in
            try statement.readRows(limit: 1, database: database).first
        }
    }

    private func openDatabase() throws -> OpaquePointer {
        guard let database else { throw StorageError.connectionClosed }
        return database
    }

    /// Prepares (or takes from the cache) the statement for `sql`, binds `params`, runs `body`,
    /// then resets a cached statement or finalizes an uncached one, also when `body` throws.
    private func withStatement<Result>(
        _ sql: String, _ params: [SQLValue], cached: Bool,
        _ body: (PreparedStatement, OpaquePointer) throws -> Result
    ) throws -> Result {
        let database = try openDatabase()
        let statement: PreparedStatement
        let reusable: Bool
        if cached, let existing = cachedStatement(sql) {
            statement = existing
            reusable = true
        } else {
            statement = try prepare(sql, database: database, persistent: cached)
            reusable = cached && statementCache.count < Self.statementCacheCapacity
            if reusable {
                statementCache[sql] = statement
                statementsBySQLValue.remember(statement, for: sql)
            }
        }
        defer {
            if reusable { statement.resetForReuse() } else { statement.finalize() }
            boundBytes.releaseIfLarge()
        }
        try statement.bind(params, database: database, bytes: boundBytes)
        return try body(statement, database)
    }

    /// The cached statement for `sql`: found by its string value first (``StatementsBySQLValue``), by its text
    /// only when that value is new (then remembered under it).
    private func cachedStatement(_ sql: String) -> PreparedStatement? {
        if let statement = statementsBySQLValue[sql], statement.sql == sql { return statement }
        guard let statement = statementCache[sql] else { return nil }
        statementsBySQLValue.remember(statement, for: sql)
        return statement
    }

    private func prepare(_ sql: String, database: OpaquePointer, persistent: Bool) throws -> PreparedStatement {
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        var handle: OpaquePointer?
        var hasTrailingStatement = false
        let status = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v3(database, text, -1, flags, &handle, &tail)
            // Whatever follows the first statement must compile to nothing (whitespace, comments,
            // semicolons); otherwise the caller would believe later statements ran.
            if status == SQLITE_OK, let tail, tail.pointee != 0 {
                var trailing: OpaquePointer?
                let tailStatus = sqlite3_prepare_v2(database, tail, -1, &trailing, nil)
                hasTrailingStatement = tailStatus != SQLITE_OK || trailing != nil
                sqlite3_finalize(trailing)
            }
            return status
        }
        guard status == SQLITE_OK else {
            throw SQLiteError.prepareFailed(code: status, message: String(cString: sqlite3_errmsg(database)), sql: sql)
        }
        if hasTrailingStatement {
            sqlite3_finalize(handle)
            throw SQLiteError.multipleStatements(sql: sql)
        }
        guard let handle else {
            throw SQLiteError.prepareFailed(code: SQLITE_MISUSE, message: "no statement in SQL text", sql: sql)
        }
        return PreparedStatement(handle: handle, sql: sql)
    }

    private static func createParentDirectory(of path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            // Reported like SQLite's own failure to open, so callers handle one error type.
            throw SQLiteError.openFailed(code: SQLITE_CANTOPEN,
                                         message: "cannot create directory \(directory): \(error.localizedDescription)",
                                         path: path)
        }
    }
}
