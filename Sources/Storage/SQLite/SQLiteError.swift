import CSQLite

/// An error reported by SQLite, with its extended result code and message.
///
/// Only SQL text is ever attached (for prepare failures), never bound values: parameters may hold
/// message bodies or secrets, and errors end up in logs.
public enum SQLiteError: Error, Sendable, CustomStringConvertible {
    /// `sqlite3_open_v2` failed, or the database directory could not be created.
    case openFailed(code: Int32, message: String, path: String)
    /// The statement did not compile (syntax error, unknown table, ...).
    case prepareFailed(code: Int32, message: String, sql: String)
    /// Executing, binding, committing or configuring failed.
    case executionFailed(code: Int32, message: String)
    /// The number of values passed does not match the statement's placeholders.
    case parameterCountMismatch(expected: Int, actual: Int, sql: String)
    /// `run`/`query` got more than one statement; only ``SQLiteConnection/execute(_:)`` takes several.
    case multipleStatements(sql: String)

    /// The extended result code (e.g. `SQLITE_CONSTRAINT_UNIQUE`), or the primary code when
    /// SQLite gave no extended one.
    public var code: Int32 {
        switch self {
        case .openFailed(let code, _, _), .prepareFailed(let code, _, _), .executionFailed(let code, _):
            return code
        case .parameterCountMismatch:
            return SQLITE_RANGE
        case .multipleStatements:
            return SQLITE_MISUSE
        }
    }

    /// The primary result code: the low byte of ``code`` (e.g. `SQLITE_CONSTRAINT`).
    public var primaryCode: Int32 { code & 0xFF }

    /// SQLite's message (or ours for the cases SQLite does not see).
    public var message: String {
        switch self {
        case .openFailed(_, let message, _), .prepareFailed(_, let message, _), .executionFailed(_, let message):
            return message
        case .parameterCountMismatch(let expected, let actual, _):
            return "statement has \(expected) parameters but \(actual) values were given"
        case .multipleStatements:
            return "only one statement allowed when binding parameters"
        }
    }

    /// UNIQUE, NOT NULL, CHECK, FOREIGN KEY or PRIMARY KEY violation: the caller's data is at fault,
    /// retrying the same write will fail again.
    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }

    /// Another connection holds a conflicting lock past the busy timeout; retrying later may work.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    /// The disk or file is full, unwritable, unreadable or damaged. Requests must not be acknowledged
    /// and the service should report itself unhealthy rather than retry in a tight loop.
    public var isStorageFailure: Bool {
        switch primaryCode {
        case SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_PERM:
            return true
        default:
            return false
        }
    }

    public var description: String {
        let name = String(cString: sqlite3_errstr(code))
        switch self {
        case .openFailed(_, let message, let path):
            return "SQLite open failed (\(code), \(name)) for \(path): \(message)"
        case .prepareFailed(_, let message, let sql):
            return "SQLite prepare failed (\(code), \(name)): \(message) in: \(sql)"
        case .executionFailed(_, let message):
            return "SQLite error (\(code), \(name)): \(message)"
        case .parameterCountMismatch(_, _, let sql), .multipleStatements(let sql):
            return "SQLite misuse: \(message) in: \(sql)"
        }
    }
}
