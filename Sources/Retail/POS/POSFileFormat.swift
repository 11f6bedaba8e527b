import GatewayKit
/// How a POS snapshot is written: CSV or JSON (each read by an ``OutletRowReader`` the POS adapter provides).
public enum POSFileFormat: String, Sendable, CaseIterable {
    case csv
    case json

    /// From a file name's extension (`outlets.csv`, `export.JSON`); nil for anything else.
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        self.init(rawValue: fileName[fileName.index(after: dot)...].lowercased())
    }

    /// From a pull response's `Content-Type`: `text/csv` is CSV, anything else is read as JSON.
    public init(contentType: String?) {
        self = MediaType.of(contentType) == "text/csv" ? .csv : .json
    }
}
