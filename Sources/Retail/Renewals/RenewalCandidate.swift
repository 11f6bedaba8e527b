import Delivery
import GatewayKit
import Storage

/// An outlet the daily run looks at: `active` or `expired`, expiring within the run's date range, with its phones
/// and the renewal cycle of its current expiry date if one exists. Read in one set-based query (phones folded in,
/// the cycle joined) because the run visits some 10,000 of them out of 100,000 outlets.
struct RenewalCandidate: Sendable {
    let oid: String
    let fid: String
    let name: String
    let expiryDate: CalendarDate
    let timeZone: String
    /// Canonical phones, sorted; empty when the outlet has none.
    let phones: [String]
    let renewalID: Int64?
    let renewalStatus: RenewalStatus?

    /// Candidates expiring within `from...through`, by expiry date then OID.
    static func list(from: CalendarDate, through: CalendarDate,
                     in connection: any DatabaseConnection) throws -> [RenewalCandidate] {
        try connection.query("""
            SELECT o.oid, o.fid, o.name, o.expiry_date, o.time_zone, r.id AS renewal_id, r.status AS renewal_status,
                   (SELECT \(connection.dialect.groupConcat("p.phone", separator: "','")) FROM outlet_phones p
                    WHERE p.oid = o.oid) AS phones
            FROM outlets o LEFT JOIN renewals r ON r.oid = o.oid AND r.due_date = o.expiry_date
            WHERE o.expiry_date BETWEEN ? AND ? AND o.status IN ('active', 'expired')
            ORDER BY o.expiry_date, o.oid
            """, [.text(from.description), .text(through.description)]).map { row in
            guard let oid = row.string("oid"), let fid = row.string("fid"), let name = row.string("name"),
                  let expiry = row.string("expiry_date").flatMap({ CalendarDate($0) }),
                  let timeZone = row.string("time_zone") else {
                throw StoreConsistencyError(detail: "unreadable outlets row")
            }
            return RenewalCandidate(
                oid: oid, fid: fid, name: name, expiryDate: expiry, timeZone: timeZone,
                phones: (row.string("phones") ?? "").split(separator: ",").map(String.init).sorted(),
                renewalID: row.int64("renewal_id"),
                renewalStatus: row.string("renewal_status").flatMap(RenewalStatus.init(rawValue:)))
        }
    }
}
