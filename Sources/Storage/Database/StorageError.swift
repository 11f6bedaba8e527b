/// Errors of the storage layer itself (as opposed to ``SQLiteError``, which SQLite reports).
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The writer's queue is at capacity; the caller should shed load (e.g. answer 503) and retry later.
    case overloaded
    /// The writer or reader pool has been shut down and takes no more work.
    case shuttingDown
    /// The connection was closed before this call.
    case connectionClosed
    /// `SQLiteWriter.perform` was called from one of the writer's operations or completions, which would wait for
    /// itself forever.
    case calledFromWriterThread
    /// Two migrations share a version number.
    case duplicateMigrationVersion(Int)
    /// A migration that rebuilt a table left rows whose foreign key points nowhere (`table` holds the first); it was
    /// rolled back.
    case foreignKeyViolation(version: Int, table: String)
    /// A migration's PostgreSQL form replaces a passage its SQLite text no longer holds (`passage`: its start).
    case postgresPassageMissing(version: Int, passage: String)
    /// A read-write connection could not switch to WAL; the writer/reader split depends on it.
    case walUnavailable(journalMode: String)
    /// A batch transaction was rolled back by SQLite itself after this operation had succeeded
    /// inside it (possible after SQLITE_FULL, IOERR, BUSY or NOMEM), so its writes are not stored.
    case batchRolledBack
    /// A checkpoint could not empty the write-ahead log in time: readers kept old snapshots open.
    case checkpointBusy

    public var description: String {
        switch self {
        case .overloaded: return "storage writer queue is full"
        case .shuttingDown: return "storage is shutting down"
        case .connectionClosed: return "SQLite connection is closed"
        case .calledFromWriterThread: return "SQLiteWriter.perform called from an operation or completion of the writer"
        case .duplicateMigrationVersion(let version): return "duplicate migration version \(version)"
        case .foreignKeyViolation(let version, let table):
            return "migration \(version) left rows of \(table) referencing missing rows; rolled back"
        case .postgresPassageMissing(let version, let passage):
            return "migration \(version)'s PostgreSQL form replaces text it no longer has: \(passage)"
        case .walUnavailable(let mode): return "could not enable WAL journal mode (got \(mode))"
        case .batchRolledBack: return "the batch transaction was rolled back by SQLite"
        case .checkpointBusy: return "the write-ahead log could not be emptied: readers kept old snapshots open"
        }
    }
}
