import GatewayKit
import Storage

/// The writing SQL of the POS tables (reads are in ``OutletDirectory``). Statements are constant strings, so the
/// connection's statement cache prepares each once per import.
enum OutletTable {
    enum FranchiseChange {
        case created, renamed, unchanged
    }

    /// Creates the franchise or renames it; returns its (new) name and what changed, or nil when it does not exist
    /// and `name` is nil (nothing to create it with).
    static func ensureFranchise(_ fid: String, name: String?, now: Int64,
                                in connection: any DatabaseConnection) throws -> (name: String, change: FranchiseChange)? {
        let stored = try connection.queryOne("SELECT name FROM franchises WHERE fid = ?", [.text(fid)])?.string("name")
        switch (stored, name) {
        case (nil, nil):
            return nil
        case (nil, let name?):
            try connection.run("INSERT INTO franchises (fid, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                               [.text(fid), .text(name), .integer(now), .integer(now)])
            return (name, .created)
        case (let stored?, let name?) where stored != name:
            try connection.run("UPDATE franchises SET name = ?, updated_at = ? WHERE fid = ?",
                               [.text(name), .integer(now), .text(fid)])
            return (name, .renamed)
        case (let stored?, _):
            return (stored, .unchanged)
        }
    }

    static func insert(_ record: OutletRecord, via source: OutletSource, in connection: any DatabaseConnection) throws {
        try connection.run("""
            INSERT INTO outlets (oid, fid, name, expiry_date, status, time_zone, updated_via, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(record.oid), .text(record.fid), .text(record.name), .text(record.expiryDate.description),
                  .text(record.status.rawValue), .text(record.timeZone), .text(source.rawValue),
                  .integer(record.createdAt), .integer(record.updatedAt)])
        try insertPhones(record.phones, of: record.oid, in: connection)
    }

    static func update(_ record: OutletRecord, phonesChanged: Bool, via source: OutletSource,
                       in connection: any DatabaseConnection) throws {
        try connection.run("""
            UPDATE outlets SET fid = ?, name = ?, expiry_date = ?, status = ?, time_zone = ?, updated_via = ?,
                               updated_at = ?
            WHERE oid = ?
            """, [.text(record.fid), .text(record.name), .text(record.expiryDate.description),
                  .text(record.status.rawValue), .text(record.timeZone), .text(source.rawValue),
                  .integer(record.updatedAt), .text(record.oid)])
        guard phonesChanged else { return }
        try connection.run("DELETE FROM outlet_phones WHERE oid = ?", [.text(record.oid)])
        try insertPhones(record.phones, of: record.oid, in: connection)
    }

    private static func insertPhones(_ phones: [String], of oid: String, in connection: any DatabaseConnection) throws {
        for phone in phones {
            try connection.run("INSERT INTO outlet_phones (oid, phone) VALUES (?, ?)", [.text(oid), .text(phone)])
        }
    }
}
