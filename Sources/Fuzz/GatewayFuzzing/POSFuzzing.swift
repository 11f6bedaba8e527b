import GatewayKit
import POSAdapter
import Retail

/// The POS snapshot readers with the default settings (country code 60, Asia/Kuala_Lumpur). A file is refused whole
/// with a `POSImportError` whose problems each name where (line and column, or JSON path) and what, at most
/// `maxProblems` of them; an accepted file gives one row per outlet that says where it came from and carries every
/// field an import requires, already normalized (ids pass the id rule, phones are sorted without repeats).
enum POSFuzzing {
    static let rules = OutletFieldRules(settings: POSSettings())

    static func runCSV(_ bytes: [UInt8]) throws(FuzzFinding) -> FuzzOutcome {
        try run(bytes, OutletCSVReader(rules: rules), .posCSV)
    }

    static func runJSON(_ bytes: [UInt8]) throws(FuzzFinding) -> FuzzOutcome {
        try run(bytes, OutletJSONReader(rules: rules), .posJSON)
    }

    private static func run(_ bytes: [UInt8], _ reader: any OutletRowReader,
                            _ target: FuzzTarget) throws(FuzzFinding) -> FuzzOutcome {
        let rows: [POSRow]
        do {
            rows = try reader.read(bytes)
        } catch {
            return try refusal(error, target)
        }
        try check(rows, target)
        return .accepted
    }

    private static func refusal(_ error: POSImportError, _ target: FuzzTarget) throws(FuzzFinding) -> FuzzOutcome {
        guard !error.problems.isEmpty, error.problems.count <= POSImportError.maxProblems else {
            throw FuzzFinding(target, "a refusal with \(error.problems.count) problems")
        }
        if let problem = error.problems.first(where: { $0.field.isEmpty || $0.message.isEmpty }) {
            throw FuzzFinding(target, "a problem names no place or says nothing: \(problem)")
        }
        return .refused(error.description)
    }

    private static func check(_ rows: [POSRow], _ target: FuzzTarget) throws(FuzzFinding) {
        for row in rows {
            let input = row.input
            guard !row.location.isEmpty, OutletFieldRules.id(input.oid) == input.oid,
                  let fid = input.fid, OutletFieldRules.id(fid) == fid,
                  input.name != nil, input.expiryDate != nil, input.status != nil
            else { throw FuzzFinding(target, "accepted \(row.location) without a required field or with a bad id") }
            if let phones = input.phones, phones != Array(Set(phones)).sorted() {
                throw FuzzFinding(target, "accepted \(row.location) with phones unsorted or repeated")
            }
        }
    }
}
