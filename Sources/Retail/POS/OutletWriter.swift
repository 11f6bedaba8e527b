import GatewayKit
import Storage

/// Applies one ``OutletInput`` to the store — create, update or nothing when it says what is already stored — and
/// tells the ``OutletChangeObserver`` about new outlets and changed expiry dates or statuses, in the caller's
/// transaction. Imports, the daily pull and pushes all write through here.
///
/// Franchises: a row naming `franchise_name` creates its franchise when the FID is unknown (and renames it when the
/// name differs); a row without a name must reference a franchise that exists, else it is refused. So a POS export
/// that carries both columns needs no separate franchise file, and a typo in a FID of a name-less row is caught
/// instead of inventing a nameless franchise.
public struct OutletWriter: Sendable {
    let observer: any OutletChangeObserver
    let defaultTimeZone: String

    public init(observer: any OutletChangeObserver, defaultTimeZone: String) {
        self.observer = observer
        self.defaultTimeZone = defaultTimeZone
    }

    /// Whether the outlet was new, changed, or already as given.
    public enum Outcome: String, Sendable {
        case inserted, updated, unchanged
    }

    /// What one write did.
    public struct Write: Sendable {
        public let outcome: Outcome
        public let record: OutletRecord
        /// What happened to the franchise of the outlet.
        let franchise: OutletTable.FranchiseChange
    }

    /// - Throws: ``OutletWriteError`` (nothing of this input written) or a store error.
    public func apply(_ input: OutletInput, via source: OutletSource, now: Int64,
                      in connection: any DatabaseConnection) throws -> Write {
        let existing = try OutletDirectory.outlet(input.oid, in: connection)
        guard let fid = input.fid ?? existing?.fid else { throw OutletWriteError(missing: [.fid], oid: input.oid) }
        guard let franchise = try OutletTable.ensureFranchise(fid, name: input.franchiseName, now: now,
                                                              in: connection) else {
            throw OutletWriteError([FieldError(field: OutletField.franchiseName.rawValue,
                                               message: "is required: franchise \(fid) is not known yet")])
        }
        guard let existing else {
            let record = try newRecord(input, fid: fid, franchiseName: franchise.name, now: now)
            try OutletTable.insert(record, via: source, in: connection)
            try observer.outletChanged(OutletChange(before: nil, after: record, source: source), in: connection)
            return Write(outcome: .inserted, record: record, franchise: franchise.change)
        }
        var record = existing
        record.fid = fid
        record.franchiseName = franchise.name
        record.name = input.name ?? existing.name
        record.phones = input.phones ?? existing.phones
        record.expiryDate = input.expiryDate ?? existing.expiryDate
        record.status = input.status ?? existing.status
        record.timeZone = input.timeZone ?? existing.timeZone
        guard record.fid != existing.fid || record.name != existing.name || record.phones != existing.phones
              || record.expiryDate != existing.expiryDate || record.status != existing.status
              || record.timeZone != existing.timeZone else {
            return Write(outcome: .unchanged, record: record, franchise: franchise.change)
        }
        record.updatedAt = now
        try OutletTable.update(record, phonesChanged: record.phones != existing.phones, via: source, in: connection)
        let change = OutletChange(before: existing, after: record, source: source)
        if change.expiryDateChanged || change.statusChanged { try observer.outletChanged(change, in: connection) }
        return Write(outcome: .updated, record: record, franchise: franchise.change)
    }

    private func newRecord(_ input: OutletInput, fid: String, franchiseName: String,
                           now: Int64) throws(OutletWriteError) -> OutletRecord {
        guard let name = input.name, let expiryDate = input.expiryDate, let status = input.status else {
            let missing = [(OutletField.name, input.name == nil), (.expiryDate, input.expiryDate == nil),
                           (.status, input.status == nil)].filter(\.1).map(\.0)
            throw OutletWriteError(missing: missing, oid: input.oid)
        }
        return OutletRecord(oid: input.oid, fid: fid, franchiseName: franchiseName, name: name,
                            phones: input.phones ?? [], expiryDate: expiryDate, status: status,
                            timeZone: input.timeZone ?? defaultTimeZone, createdAt: now, updatedAt: now)
    }
}

/// An input the store cannot take (fields named bare: `franchise_name`, `expiry_date`); nothing of it was written.
public struct OutletWriteError: Error, Sendable, Equatable {
    public let problems: [FieldError]

    init(_ problems: [FieldError]) {
        self.problems = problems
    }

    init(missing: [OutletField], oid: String) {
        self.init(missing.map { FieldError(field: $0.rawValue, message: "is required to create outlet \(oid)") })
    }
}
