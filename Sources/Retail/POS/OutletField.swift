/// The fields of a POS outlet row: CSV header names, JSON keys of an import element and of a push body.
public enum OutletField: String, CaseIterable, Sendable {
    case fid
    /// Creates an unknown franchise (or renames a known one); may be left out for a franchise already stored.
    case franchiseName = "franchise_name"
    case oid
    case name
    /// CSV: several phones separated by `;`. JSON: an array of strings.
    case phones
    case expiryDate = "expiry_date"
    case status
    /// IANA name; empty or absent = `pos.default_time_zone` for a new outlet, unchanged for a known one.
    case timeZone = "time_zone"

    /// Must have a value in every import row (a push needs them only to create an outlet).
    public var isRequired: Bool {
        switch self {
        case .fid, .oid, .name, .expiryDate, .status: return true
        case .franchiseName, .phones, .timeZone: return false
        }
    }
}
