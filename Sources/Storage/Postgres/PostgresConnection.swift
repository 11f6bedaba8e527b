import CPostgres
import Foundation

/// One connection to a PostgreSQL server through libpq: `?` statements numbered for the server, values bound as
/// parameters (text, or binary for bytes; never spliced into SQL), result columns mapped to the same ``SQLValue``
/// cases the embedded engine gives (integers, reals, text, bytes). Not thread-safe: the pool hands a connection to one
/// unit of work at a time.
public final class PostgresConnection: DatabaseConnection {
    private let connection: OpaquePointer
    public let location: String
    public var dialect: SQLDialect { .postgres }
    public private(set) var changes = 0
    /// Open savepoints inside the transaction.
    private var savepointDepth = 0
    private var commitActions: [(key: String, action: @Sendable () -> Void)] = []
    /// The table the last `INSERT` statement wrote, and each table's identity sequence (see ``lastInsertRowID``).
    private var lastInsertTable: String?
    private var identitySequences: [String: String?] = [:]
    /// The key the last `INSERT` returned (see ``returningIdentity(_:)``); nil when it could not return one.
    private var lastInsertID: Int64?
    /// Each `INSERT` statement's text with its table's identity column returned, nil for one that cannot return it.
    private var insertsReturningIdentity: [String: String?] = [:]
    /// Statements prepared on this connection, by text and parameter types: the server parses and plans each once.
    private var prepared: [PreparedKey: String] = [:]
    /// Beyond this many (statements built with varying text), the connection forgets them all and starts again.
    static let maxPrepared = 1_000

    private struct PreparedKey: Hashable {
        let sql: String
        let types: [Oid]
    }

    /// Connects with a libpq connection string or URL (`postgresql://user@host:5432/db`); the error never repeats it.
    public init(_ connectionString: String) throws {
        guard let connection = PQconnectdb(connectionString) else {
            throw PostgresError(sqlState: "08000", message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(connection)
            throw PostgresError(sqlState: "08001", message: Self.withoutPassword(message, of: connectionString))
        }
        self.connection = connection
        let database = String(cString: PQdb(connection))
        let host = String(cString: PQhost(connection))
        location = "postgresql://\(host.hasPrefix("/") ? "localhost" : host):\(String(cString: PQport(connection)))/\(database)"
    }

    deinit { PQfinish(connection) }

    /// libpq's message about a connection string that failed, with its password masked: a malformed string is
    /// quoted back in part, and that part may be the password. A string libpq cannot even parse gets a message of
    /// our own.
    static func withoutPassword(_ message: String, of connectionString: String) -> String {
        guard let options = PQconninfoParse(connectionString, nil) else {
            return "the connection string is malformed (store.database_url)"
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val {
                let password = String(cString: value)
                return password.isEmpty ? message : message.replacingOccurrences(of: password, with: "***")
            }
            option += 1
        }
        return message
    }

    public func run(_ sql: String, _ parameters: [SQLValue]) throws {
        _ = try perform(sql, parameters)
    }

    public func query(_ sql: String, _ parameters: [SQLValue]) throws -> [Row] {
        try perform(sql, parameters)
    }

    public func queryOne(_ sql: String, _ parameters: [SQLValue]) throws -> Row? {
        try perform(sql, parameters).first
    }

    public func execute(_ sql: String) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
    }

    /// The key of the row the last `INSERT` into a table with an identity key created: that table's own sequence
    /// (`currval`), as SQLite's `last_insert_rowid()` — not `lastval()`, which a trigger inserting into another table
    /// with a sequence (the desk's change feed) would move.
    public var lastInsertRowID: Int64 {
        if let lastInsertID { return lastInsertID }
        guard let table = lastInsertTable, let sequence = (try? identitySequence(of: table)) ?? nil else {
            return (try? queryOne("SELECT lastval() AS id", []))?.flatMap { $0.int64("id") } ?? 0
        }
        return (try? queryOne("SELECT currval(CAST(? AS regclass)) AS id", [.text(sequence)]))?
            .flatMap { $0.int64("id") } ?? 0
    }

    /// The sequence behind `table`'s identity column, looked up once per table.
    private func identitySequence(of table: String) throws -> String? {
        if let known = identitySequences[table] { return known }
        let found = try queryOne("""
            SELECT pg_get_serial_sequence(CAST(? AS text), attname) AS sequence FROM pg_attribute
            WHERE attrelid = CAST(CAST(? AS text) AS regclass) AND attidentity <> '' AND NOT attisdropped LIMIT 1
            """, [.text(table), .text(table)])?.string("sequence")
        identitySequences[table] = found
        return found
    }

    public var isInTransaction: Bool { PQtransactionStatus(connection) != PQTRANS_IDLE }

    /// False once the server closed the connection or it broke: the pool replaces it.
    var isHealthy: Bool { PQstatus(connection) == CONNECTION_OK }

    /// One statement with its parameters; the rows it returned.
    private func perform(_ sql: String, _ parameters: [SQLValue]) throws -> [Row] {
        let (numbered, count) = PostgresPlaceholders.numbered(sql)
        guard count == parameters.count else {
            throw PostgresError(sqlState: "42P02",
                                message: "statement has \(count) parameters but \(parameters.count) values were given",
                                sql: sql)
        }
        let bound = parameters.map(Self.bind)
        var lengths = bound.map { Int32($0.bytes?.count ?? 0) }
        var formats = bound.map { $0.binary ? Int32(1) : Int32(0) }
        var statement = numbered
        var returnsIdentity = false
        if let table = Self.insertTable(sql) {
            lastInsertTable = table
            if let returning = try returningIdentity(numbered, table: table) {
                statement = returning
                returnsIdentity = true
            } else {
                lastInsertID = nil
            }
        }
        let name = try preparedName(statement, types: parameters.map(Self.type), original: sql)
        let result: OpaquePointer? = withPointers(to: bound.map(\.bytes)) { values in
            PQexecPrepared(connection, name, Int32(parameters.count), values, &lengths, &formats, 0)
        }
        defer { PQclear(result) }
        try check(result, sql: sql)
        changes = Int(String(cString: PQcmdTuples(result))) ?? 0
        let rows = Self.rows(of: result!)
        guard returnsIdentity else { return rows }
        // As SQLite's last_insert_rowid(): an insert that inserted nothing leaves the last key as it was.
        if let id = rows.last?.int64(Self.returnedIdentity) { lastInsertID = id }
        return []
    }

    /// The column name an `INSERT` rewritten by ``returningIdentity(_:table:)`` returns its key under.
    private static let returnedIdentity = "gw_inserted_key"

    /// `numbered` (an `INSERT` into `table`) returning the table's identity column, so ``lastInsertRowID`` needs no
    /// round trip of its own; nil when the table has none or the statement returns something itself. Worked out once
    /// per statement text.
    private func returningIdentity(_ numbered: String, table: String) throws -> String? {
        if let known = insertsReturningIdentity[numbered] { return known }
        var rewritten: String?
        let trimmed = numbered.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.hasSuffix(";"), numbered.range(of: "RETURNING", options: .caseInsensitive) == nil,
           let column = try identityColumn(of: table) {
            rewritten = trimmed + " RETURNING \(column) AS \(Self.returnedIdentity)"
        }
        if insertsReturningIdentity.count >= Self.maxPrepared { insertsReturningIdentity.removeAll() }
        insertsReturningIdentity[numbered] = rewritten
        return rewritten
    }

    /// `table`'s identity column, nil when it has none (or is no table).
    private func identityColumn(of table: String) throws -> String? {
        try queryOne("""
            SELECT quote_ident(attname) AS name FROM pg_attribute
            WHERE attrelid = to_regclass(CAST(? AS text)) AND attidentity <> '' AND NOT attisdropped LIMIT 1
            """, [.text(table)])?.string("name")
    }

    /// The table an `INSERT INTO table …` statement writes, nil for any other statement.
    static func insertTable(_ sql: String) -> String? {
        let words = sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "(" }).prefix(3)
        guard words.count == 3, words[words.startIndex].uppercased() == "INSERT",
              words[words.startIndex + 1].uppercased() == "INTO" else { return nil }
        return String(words[words.startIndex + 2])
    }

    /// The name `sql` is prepared under with these parameter types, preparing it on first use. Prepared statements
    /// belong to the session, not to a transaction: a rollback keeps them.
    private func preparedName(_ sql: String, types: [Oid], original: String) throws -> String {
        let key = PreparedKey(sql: sql, types: types)
        if let name = prepared[key] { return name }
        if prepared.count >= Self.maxPrepared {
            try execute("DEALLOCATE ALL")
            prepared.removeAll()
        }
        let name = "gw_\(prepared.count + 1)"
        var types = types
        let result = PQprepare(connection, name, sql, Int32(types.count), &types)
        defer { PQclear(result) }
        try check(result, sql: original)
        prepared[key] = name
        return name
    }

    private func check(_ result: OpaquePointer?, sql: String) throws {
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK, status != PGRES_EMPTY_QUERY else { return }
        let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
        throw PostgresError(sqlState: state ?? (PQstatus(connection) == CONNECTION_OK ? "XX000" : "08006"),
                            message: message, sql: sql)
    }

    /// A parameter as libpq takes it: text (NUL-terminated) or binary bytes; nil bytes = NULL.
    private static func bind(_ value: SQLValue) -> (bytes: [CChar]?, binary: Bool) {
        switch value {
        case .null: return (nil, false)
        case .integer(let number): return (Array(String(number).utf8CString), false)
        case .real(let number): return (Array(String(format: "%.17g", number).utf8CString), false)
        case .text(let text): return (Array(text.utf8CString), false)
        case .blob(let bytes): return (bytes.map { CChar(bitPattern: $0) }, true)
        }
    }

    /// The type a parameter is declared with, so the server need not guess it where the statement does not say
    /// (`? IS NULL`, `SELECT ?`): 64-bit integers, doubles, text and bytes as SQLite stores them. NULL stays
    /// untyped, taking the type of the column or expression it meets.
    private static func type(_ value: SQLValue) -> Oid {
        switch value {
        case .null: return 0
        case .integer: return Oid(GW_PG_INT8)
        case .real: return Oid(GW_PG_FLOAT8)
        case .text: return Oid(GW_PG_TEXT)
        case .blob: return Oid(GW_PG_BYTEA)
        }
    }

    private func withPointers<R>(to buffers: [[CChar]?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafePointer<CChar>?] = []
        func next(_ index: Int) -> R {
            guard index < buffers.count else { return body(pointers) }
            guard let buffer = buffers[index] else {
                pointers.append(nil)
                return next(index + 1)
            }
            return buffer.withUnsafeBufferPointer { pointer in
                pointers.append(pointer.baseAddress)
                return next(index + 1)
            }
        }
        return next(0)
    }

    private static func rows(of result: OpaquePointer) -> [Row] {
        let columnCount = PQnfields(result)
        guard columnCount > 0 else { return [] }
        let columns = ResultColumns(names: (0..<columnCount).map { String(cString: PQfname(result, $0)) })
        let types = (0..<columnCount).map { Int(PQftype(result, $0)) }
        return (0..<PQntuples(result)).map { row in
            Row(columns: columns, values: (0..<columnCount).map { column in
                value(result, row: row, column: column, type: types[Int(column)])
            })
        }
    }

    private static func value(_ result: OpaquePointer, row: Int32, column: Int32, type: Int) -> SQLValue {
        guard PQgetisnull(result, row, column) == 0, let raw = PQgetvalue(result, row, column) else { return .null }
        let text = String(cString: raw)
        switch type {
        case GW_PG_INT2, GW_PG_INT4, GW_PG_INT8, GW_PG_OID:
            return Int64(text).map(SQLValue.integer) ?? .text(text)
        case GW_PG_BOOL: return .integer(text == "t" ? 1 : 0)
        case GW_PG_FLOAT4, GW_PG_FLOAT8:
            return Double(text).map(SQLValue.real) ?? .text(text)
        case GW_PG_NUMERIC:
            // What PostgreSQL sums integers to: whole numbers are integers, as SQLite's sums of integers are.
            if !text.contains("."), let whole = Int64(text) { return .integer(whole) }
            return Double(text).map(SQLValue.real) ?? .text(text)
        case GW_PG_BYTEA:
            var length = 0
            guard let bytes = PQunescapeBytea(raw, &length) else { return .null }
            defer { PQfreemem(bytes) }
            return .blob(Array(UnsafeBufferPointer(start: bytes, count: length)))
        default: return .text(text)
        }
    }
}

extension PostgresConnection {
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return try savepoint(body) }
        try execute("BEGIN")
        let value: T
        do {
            value = try body()
            try execute("COMMIT")
        } catch {
            commitActions.removeAll()
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
        let actions = commitActions
        commitActions.removeAll()
        for (_, action) in actions { action() }
        return value
    }

    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        if !isInTransaction { return try transaction(body) }
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "sp_\(savepointDepth)"
        try execute("SAVEPOINT \(name)")
        do {
            let value = try body()
            try execute("RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            try? execute("ROLLBACK TO SAVEPOINT \(name)")
            try? execute("RELEASE SAVEPOINT \(name)")
            throw error
        }
    }

    public func readTransaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return try body() }
        try execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { try? execute("COMMIT") }
        return try body()
    }

    public func afterCommit(_ key: String, _ action: @escaping @Sendable () -> Void) {
        guard isInTransaction else { return action() }
        guard !commitActions.contains(where: { $0.key == key }) else { return }
        commitActions.append((key, action))
    }
}
