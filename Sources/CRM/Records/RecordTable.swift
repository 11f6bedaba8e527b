import Delivery
import GatewayKit
import Storage

/// The SQL of the `deals` and `tickets` tables. Column lists come from the kind's static field list, so the
/// statements are fixed per kind (and cached by the connection); every value is a bound parameter.
public struct RecordTable: Sendable {
    public let kind: RecordKind
    private let insertSQL: String
    private let selectSQL: String
    private let selectByUniqueIDSQL: String
    private let updateSQL: String
    private let listSQL: String
    /// The list statements without their order and limit, for a listing limited further (``RecordQuery/within``).
    private let listWhere: String
    private let listByUniqueIDWhere: String
    private static let listOrder = " ORDER BY id DESC LIMIT ?4"
    /// The list with a `unique_id` filter: a separate statement, so SQLite answers it from the unique index.
    private let listByUniqueIDSQL: String
    /// The ``RecordKind/listFilters`` that are optional conditions of both list statements.
    private let optionalFilters: [String]

    private static let commonColumns = "id, unique_id, room_id, contact_id, creator_flag, source, origin, created_at, "
        + "updated_at, version, deleted_at"

    public static let deals = RecordTable(.deal)
    public static let tickets = RecordTable(.ticket)

    public static func of(_ kind: RecordKind) -> RecordTable {
        switch kind {
        case .deal: return deals
        case .ticket: return tickets
        }
    }

    private init(_ kind: RecordKind) {
        self.kind = kind
        let names = kind.fields.map(\.name)
        let columns = names.joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: names.count + 8).joined(separator: ", ")
        // Tickets also show the workflow's read-only columns (and can be listed by some of them).
        let selected = kind == .ticket ? "\(Self.commonColumns), \(columns), \(TicketWorkflowColumns.selectList)"
            : "\(Self.commonColumns), \(columns)"
        optionalFilters = kind.listFilters.filter { $0 != "unique_id" }
        let filters = optionalFilters.enumerated().map { index, column in
            " AND (CAST(?\(index + 5) AS TEXT) IS NULL OR \(column) = ?\(index + 5))"
        }.joined()
        insertSQL = """
            INSERT INTO \(kind.table) (\(columns), unique_id, room_id, contact_id, creator_flag, source, origin,
                                       created_at, updated_at)
            VALUES (\(placeholders))
            """
        selectSQL = "SELECT \(selected) FROM \(kind.table) WHERE id = ?"
        selectByUniqueIDSQL = "SELECT \(selected) FROM \(kind.table) WHERE unique_id = ?"
        let listed = """
            SELECT \(selected) FROM \(kind.table)
            WHERE deleted_at IS NULL AND id < ?1 AND (CAST(?2 AS TEXT) IS NULL OR room_id = ?2)
              AND (CAST(?3 AS TEXT) IS NULL OR contact_id = ?3)\(filters)
            """
        listWhere = listed
        listByUniqueIDWhere = listed + " AND unique_id = ?\(optionalFilters.count + 5)"
        listSQL = listWhere + Self.listOrder
        listByUniqueIDSQL = listByUniqueIDWhere + Self.listOrder
        updateSQL = """
            UPDATE \(kind.table) SET \(names.map { "\($0) = ?" }.joined(separator: ", ")), contact_id = ?,
                                     updated_at = ?, version = ?
            WHERE id = ? AND deleted_at IS NULL
            """
    }

    /// Inserts a new record and returns it as stored.
    public func insert(fields: [String: JSONValue], roomID: String?, contactID: String?, creatorFlag: String?,
                       source: String, origin: CommandOrigin, now: Int64,
                       in connection: any DatabaseConnection) throws -> StoredRecord {
        let uniqueID = RecordUniqueID.make(millis: now)
        // The stored fields are the kind's, absent ones null; the bound values are built in the same pass (this runs
        // on the single writer for every record).
        var all = fields
        var present = 0
        var bound: [SQLValue] = []
        bound.reserveCapacity(kind.fields.count + 8)
        for field in kind.fields {
            if let value = fields[field.name] {
                present += 1
                bound.append(Self.sqlValue(value))
            } else {
                all[field.name] = .null
                bound.append(.null)
            }
        }
        if present != fields.count {
            all = Dictionary(uniqueKeysWithValues: kind.fields.map { ($0.name, fields[$0.name] ?? .null) })
        }
        bound.append(.text(uniqueID))
        bound.append(SQLValue(roomID))
        bound.append(SQLValue(contactID))
        bound.append(SQLValue(creatorFlag))
        bound.append(.text(source))
        bound.append(.text(origin.rawValue))
        bound.append(.integer(now))
        bound.append(.integer(now))
        try connection.run(insertSQL, bound)
        return StoredRecord(kind: kind, id: connection.lastInsertRowID, uniqueID: uniqueID, fields: all, roomID: roomID,
                            contactID: contactID, creatorFlag: creatorFlag, source: source, origin: origin.rawValue,
                            createdAt: now, updatedAt: now, version: 1, deletedAt: nil,
                            workflow: kind == .ticket ? TicketWorkflowColumns.initial : [:])
    }

    /// The record with `id`, deleted ones included (callers decide what a deleted record means to them).
    public func find(_ id: Int64, in connection: any DatabaseConnection) throws -> StoredRecord? {
        try connection.queryOne(selectSQL, [.integer(id)]).map(decode)
    }

    /// The record with `uniqueID`, deleted ones included.
    public func find(uniqueID: String, in connection: any DatabaseConnection) throws -> StoredRecord? {
        try connection.queryOne(selectByUniqueIDSQL, [.text(uniqueID)]).map(decode)
    }

    /// One page of live records, newest first.
    public func list(_ query: RecordQuery, in connection: any DatabaseConnection) throws -> [StoredRecord] {
        var parameters: [SQLValue] = [.integer(query.beforeID ?? Int64.max), SQLValue(query.roomID),
                                      SQLValue(query.contactID), .integer(Int64(query.limit))]
        parameters += optionalFilters.map { SQLValue(query.filters[$0]) }
        let uniqueID = query.filters["unique_id"]
        if let uniqueID { parameters.append(.text(uniqueID)) }
        guard let within = query.within else {
            return try connection.query(uniqueID == nil ? listSQL : listByUniqueIDSQL, parameters).map(decode)
        }
        // The statement numbers its placeholders; the condition's take the numbers after them.
        let base = uniqueID == nil ? listWhere : listByUniqueIDWhere
        return try connection.query(base + " AND " + within.numbered(from: parameters.count + 1) + Self.listOrder,
                                    parameters + within.parameters).map(decode)
    }

    private func decode(_ row: Row) throws -> StoredRecord {
        var fields: [String: JSONValue] = [:]
        for field in kind.fields {
            switch field.type {
            case .amount: fields[field.name] = row.double(field.name).map { .number($0) } ?? .null
            case .text, .reference, .timestamp: fields[field.name] = JSONValue(row.string(field.name))
            }
        }
        guard let id = row.int64("id"), let uniqueID = row.string("unique_id"), let source = row.string("source"),
              let origin = row.string("origin"), let createdAt = row.int64("created_at"),
              let updatedAt = row.int64("updated_at"), let version = row.int64("version")
        else { throw StoreConsistencyError(detail: "a \(kind.table) row is incomplete") }
        return StoredRecord(kind: kind, id: id, uniqueID: uniqueID, fields: fields, roomID: row.string("room_id"),
                            contactID: row.string("contact_id"), creatorFlag: row.string("creator_flag"),
                            source: source, origin: origin, createdAt: createdAt, updatedAt: updatedAt,
                            version: version, deletedAt: row.int64("deleted_at"),
                            workflow: kind == .ticket ? TicketWorkflowColumns.json(row) : [:])
    }

    /// Writes `record`'s fields, contact, update time and version (the caller has applied the changes to it).
    public func update(_ record: StoredRecord, in connection: any DatabaseConnection) throws {
        try connection.run(updateSQL, values(record.fields) + [
            SQLValue(record.contactID), .integer(record.updatedAt), .integer(record.version), .integer(record.id),
        ])
    }

    /// Soft delete: the row stays (ids are never reused, timeline entries keep their record) but reads treat it as
    /// gone. Returns false when it was already deleted.
    public func markDeleted(_ id: Int64, now: Int64, in connection: any DatabaseConnection) throws -> Bool {
        try connection.run("UPDATE \(kind.table) SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                           [.integer(now), .integer(id)])
        return connection.changes == 1
    }

    private func values(_ fields: [String: JSONValue]) -> [SQLValue] {
        kind.fields.map { Self.sqlValue(fields[$0.name] ?? .null) }
    }

    private static func sqlValue(_ value: JSONValue) -> SQLValue {
        switch value {
        case .string(let text): return .text(text)
        case .number(let number): return .real(number)
        case .integer(let number): return .real(Double(number))
        default: return .null
        }
    }
}
