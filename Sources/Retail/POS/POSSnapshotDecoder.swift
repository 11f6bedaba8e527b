import GatewayKit

/// Reads the rows of a POS snapshot written in one format, checking each against the ``OutletFieldRules`` it was made
/// with; every problem names its place (`line 7, column 5 (expiry_date)`, `outlets[3].expiry_date`). The POS adapter
/// provides the CSV and JSON readers.
public protocol OutletRowReader: Sendable {
    /// The rows, or every problem found (up to ``POSImportError/maxProblems``).
    func read(_ bytes: [UInt8]) throws(POSImportError) -> [POSRow]
}

/// Turns a POS file or pull response into validated rows, or refuses it whole: every row must be valid, an OID may
/// appear only once, and rows naming the same franchise must agree on its name. Pure (no store access), so a bad
/// file is refused before the import's transaction even starts.
public struct POSSnapshotDecoder: Sendable {
    private let readers: [POSFileFormat: any OutletRowReader]

    /// - Parameter readers: the reader of each format (the POS adapter's CSV and JSON readers).
    public init(readers: [POSFileFormat: any OutletRowReader]) {
        self.readers = readers
    }

    public func decode(_ bytes: [UInt8], format: POSFileFormat) throws(POSImportError) -> [POSRow] {
        guard let reader = readers[format] else {
            throw POSImportError(at: "document", "\(format.rawValue) snapshots are not read by this gateway")
        }
        let rows = try reader.read(bytes)
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
