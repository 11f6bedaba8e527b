import GatewayKit
/// Why a POS file, pull or row set was refused as a whole (nothing was written). Each problem names where it is:
/// `line 5, column 4 (expiry_date)` in CSV, a JSON path such as `outlets[3].phones[1]` in JSON.
public struct POSImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// At most this many problems are collected; the rest of the file is still read for nothing, so stop there.
    public static let maxProblems = 50

    public let problems: [FieldError]

    public init(_ problems: [FieldError]) {
        self.problems = problems
    }

    /// One problem at `location`.
    public init(at location: String, _ message: String) {
        self.init([FieldError(field: location, message: message)])
    }

    /// True when the list was cut at ``maxProblems``.
    public var isTruncated: Bool { problems.count >= Self.maxProblems }

    public var description: String {
        let lines = problems.map { "\($0.field): \($0.message)" }
        return (lines + (isTruncated ? ["(stopped after \(Self.maxProblems) problems)"] : [])).joined(separator: "\n")
    }
}

/// One validated row of a POS snapshot and where it came from (for error messages).
public struct POSRow: Sendable, Equatable {
    public let location: String
    public let input: OutletInput

    public init(location: String, input: OutletInput) {
        (self.location, self.input) = (location, input)
    }
}
