import Delivery
import GatewayKit
import Storage

/// Reads outlets: one by OID, those sharing a phone, pages filtered by franchise and/or phone, and those expiring in
/// a date range (what the renewal scheduler scans, from `outlets_by_expiry`). Records come with their phones and
/// franchise name.
public enum OutletDirectory {
    /// Largest `limit` of ``page(fid:phone:after:limit:in:)`` the API accepts.
    public static let maxPageSize = 500

    /// The outlet `oid`, or nil.
    public static func outlet(_ oid: String, in connection: any DatabaseConnection) throws -> OutletRecord? {
        try records(connection.query(select + " WHERE o.oid = ?", [.text(oid)]), in: connection).first
    }

    /// Outlets listing the canonical phone `phone` (``PhoneNumberFormat/canonical(_:)``), by OID.
    public static func outlets(withPhone phone: String, in connection: any DatabaseConnection) throws -> [OutletRecord] {
        // By the phone row's OID, the outlet's: the phone index lists a phone's rows in that order, so nothing is
        // sorted (every inbound message from a phone number looks its outlets up).
        try records(connection.query(select + """
             JOIN outlet_phones p ON p.oid = o.oid WHERE p.phone = ? ORDER BY p.oid
            """, [.text(phone)]), in: connection)
    }

    /// A page in OID order, after OID `after`, optionally only a franchise's and/or a canonical phone's outlets.
    /// `nextCursor` is the OID to pass as `after` for the next page, nil on the last.
    public static func page(fid: String?, phone: String?, after: String?, limit: Int, within: SQLCondition? = nil,
                            in connection: any DatabaseConnection) throws -> (items: [OutletRecord], nextCursor: String?) {
        var sql = select
        var params: [SQLValue] = []
        if let phone {
            sql += " JOIN outlet_phones p ON p.oid = o.oid AND p.phone = ?"
            params.append(.text(phone))
        }
        sql += " WHERE o.oid > ?"
        params.append(.text(after ?? ""))
        if let fid {
            sql += " AND o.fid = ?"
            params.append(.text(fid))
        }
        if let within {
            sql += " AND " + within.sql
            params += within.parameters
        }
        sql += " ORDER BY o.oid LIMIT ?"
        params.append(.integer(Int64(limit + 1)))
        let items = try records(connection.query(sql, params), in: connection)
        guard items.count > limit else { return (items, nil) }
        return (Array(items.prefix(limit)), items[limit - 1].oid)
    }

    /// Outlets whose expiry date is within `from...through` and whose status is one of `statuses`, by expiry date
    /// then OID. 100,000 outlets hold about 275 per day, so a 60-day window is some 16,000 records.
    public static func expiring(from: CalendarDate, through: CalendarDate,
                                statuses: [OutletStatus] = OutletStatus.allCases,
                                in connection: any DatabaseConnection) throws -> [OutletRecord] {
        guard !statuses.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: statuses.count).joined(separator: ", ")
        let rows = try connection.query(select + """
             WHERE o.expiry_date BETWEEN ? AND ? AND o.status IN (\(placeholders)) ORDER BY o.expiry_date, o.oid
            """, [.text(from.description), .text(through.description)] + statuses.map { .text($0.rawValue) })
        return try records(rows, in: connection)
    }

    private static let select = """
        SELECT o.oid, o.fid, f.name AS franchise_name, o.name, o.expiry_date, o.status, o.time_zone, o.created_at,
               o.updated_at FROM outlets o JOIN franchises f ON f.fid = o.fid
        """

    private static func records(_ rows: [Row], in connection: any DatabaseConnection) throws -> [OutletRecord] {
        try rows.map { row in
            guard let oid = row.string("oid"), let fid = row.string("fid"),
                  let franchiseName = row.string("franchise_name"), let name = row.string("name"),
                  let expiry = row.string("expiry_date").flatMap({ CalendarDate($0) }),
                  let status = row.string("status").flatMap(OutletStatus.init(rawValue:)),
                  let timeZone = row.string("time_zone"), let createdAt = row.int64("created_at"),
                  let updatedAt = row.int64("updated_at") else {
                throw StoreConsistencyError(detail: "unreadable outlets row")
            }
            let phones = try connection.query("SELECT phone FROM outlet_phones WHERE oid = ? ORDER BY phone",
                                              [.text(oid)]).compactMap { $0.string("phone") }
            return OutletRecord(oid: oid, fid: fid, franchiseName: franchiseName, name: name, phones: phones,
                                expiryDate: expiry, status: status, timeZone: timeZone, createdAt: createdAt,
                                updatedAt: updatedAt)
        }
    }
}
