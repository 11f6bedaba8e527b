import GatewayKit
/// Turns a POS file or pull response into validated rows, or refuses it whole: every row must be valid, an OID may
/// appear only once, and rows naming the same franchise must agree on its name. Pure (no store access), so a bad
/// file is refused before the import's transaction even starts.
public struct POSSnapshotDecoder: Sendable {
    let rules: OutletFieldRules

    public init(rules: OutletFieldRules) {
        self.rules = rules
    }

    public func decode(_ bytes: [UInt8], format: POSFileFormat) throws(POSImportError) -> [POSRow] {
        let rows: [POSRow]
        switch format {
        case .csv: rows = try OutletCSVReader(rules: rules).read(bytes)
        case .json: rows = try OutletJSONReader(rules: rules).read(bytes)
        }
        try Self.checkConsistency(rows)
        return rows
    }

    /// Duplicate OIDs and contradicting franchise names, each named with both locations.
    static func checkConsistency(_ rows: [POSRow]) throws(POSImportError) {
        var firstOID: [String: String] = [:]
        var franchiseName: [String: (name: String, location: String)] = [:]
        firstOID.reserveCapacity(rows.count)
        var problems: [FieldError] = []
        for row in rows {
            if let first = firstOID.updateValue(row.location, forKey: row.input.oid) {
                problems.append(FieldError(field: "\(row.location) (oid)",
                                           message: "OID \(row.input.oid) appears again (first at \(first))"))
                firstOID[row.input.oid] = first
            }
            if let fid = row.input.fid, let name = row.input.franchiseName {
                if let earlier = franchiseName[fid], earlier.name != name {
                    problems.append(FieldError(field: "\(row.location) (franchise_name)", message:
                        "franchise \(fid) is named '\(name)' here but '\(earlier.name)' at \(earlier.location)"))
                } else if franchiseName[fid] == nil {
                    franchiseName[fid] = (name, row.location)
                }
            }
            if problems.count >= POSImportError.maxProblems { break }
        }
        guard problems.isEmpty else { throw POSImportError(problems) }
    }
}
