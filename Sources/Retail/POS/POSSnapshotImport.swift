import Delivery
import GatewayKit
import Storage

/// A whole POS snapshot (file, pull response) into the store, all or nothing: decoded and checked first
/// (``POSSnapshotDecoder``), then every row applied by ``OutletWriter`` in **one** single-writer operation, so a
/// store error, an observer's throw or a row the store refuses (unknown franchise) rolls everything back and leaves
/// the last good data in place.
///
/// An upsert, not a replacement: outlets missing from the snapshot are left as they are (a partial or truncated
/// export must not wipe outlets); the POS retires an outlet by sending it with status `closed`.
public struct POSSnapshotImport: Sendable {
    let decoder: POSSnapshotDecoder
    let writer: OutletWriter
    let metrics: MetricsRegistry?

    /// - Parameter decoder: reads the snapshot formats (``POSSnapshotDecoder/init(readers:)``).
    public init(decoder: POSSnapshotDecoder, settings: POSSettings,
                observer: any OutletChangeObserver = IgnoredOutletChanges(), metrics: MetricsRegistry? = nil) {
        self.decoder = decoder
        writer = OutletWriter(observer: observer, defaultTimeZone: settings.defaultTimeZone)
        self.metrics = metrics
    }

    /// Decodes `bytes` and imports them through `store`'s single writer (blocking until committed), `addendum` (the
    /// operator's audit row) in the same transaction.
    /// - Throws: ``POSImportError`` for a bad snapshot (nothing written), or the store's error.
    public func run(_ bytes: [UInt8], format: POSFileFormat, via source: OutletSource, now: Int64,
                    database: any Database, addendum: Addendum<POSImportReport>? = nil) throws -> POSImportReport {
        let rows = try decoder.decode(bytes, format: format)
        let writer = self.writer
        let report = try database.write { connection in
            let report = try Self.apply(rows, writer: writer, via: source, now: now, in: connection)
            try addendum?(report, connection)
            return report
        }
        if let metrics {
            for (outcome, count) in [("inserted", report.inserted), ("updated", report.updated),
                                     ("unchanged", report.unchanged)] where count > 0 {
                metrics.increment("gateway_pos_outlets_imported_total", [("source", source.rawValue), ("outcome", outcome)],
                                  by: Double(count), help: "Outlets in applied POS imports and pulls, by outcome")
            }
        }
        return report
    }

    /// Applies validated rows inside the caller's transaction; collects every row the store refuses, then throws
    /// them together, in file order (the caller's transaction rolls back). Rows are applied in OID order: neighbouring
    /// keys land on the same b-tree pages, which makes a fresh 100,000-outlet import about a fifth faster.
    static func apply(_ rows: [POSRow], writer: OutletWriter, via source: OutletSource, now: Int64,
                      in connection: any DatabaseConnection) throws -> POSImportReport {
        var report = POSImportReport()
        var problems: [(row: Int, FieldError)] = []
        for index in rows.indices.sorted(by: { rows[$0].input.oid < rows[$1].input.oid }) {
            let row = rows[index]
            do {
                report.count(try writer.apply(row.input, via: source, now: now, in: connection))
            } catch let error as OutletWriteError {
                problems += error.problems.map {
                    (index, FieldError(field: "\(row.location) (\($0.field))", message: $0.message))
                }
                if problems.count >= POSImportError.maxProblems { break }
            }
        }
        guard problems.isEmpty else { throw POSImportError(problems.sorted { $0.row < $1.row }.map(\.1)) }
        return report
    }
}
