import Storage

/// Told about every outlet whose `expiry_date` or `status` changes (or that appears), from any source, **inside the
/// transaction that writes the change**: what it writes commits or rolls back with the outlet, and a throw rolls
/// back the whole import, pull or push. The renewal phase implements it to stop reminders when an outlet renews
/// (a later expiry date) or closes. Keep it quick: an import of 100,000 outlets calls it once per changed outlet.
public protocol OutletChangeObserver: Sendable {
    func outletChanged(_ change: OutletChange, in connection: any DatabaseConnection) throws
}

/// An observer that does nothing (benchmarks and tests of the POS writer alone).
public struct IgnoredOutletChanges: OutletChangeObserver {
    public init() {}
    public func outletChanged(_ change: OutletChange, in connection: any DatabaseConnection) throws {}
}

/// One outlet's renewal-relevant change.
public struct OutletChange: Sendable, Equatable {
    /// The outlet before the change; nil when it is new.
    public let before: OutletRecord?
    public let after: OutletRecord
    public let source: OutletSource

    public var expiryDateChanged: Bool { before?.expiryDate != after.expiryDate }
    public var statusChanged: Bool { before?.status != after.status }
}

/// Which path wrote an outlet (kept in `outlets.updated_via`).
public enum OutletSource: String, Sendable, CaseIterable {
    /// `gateway pos import <file>`.
    case fileImport = "import"
    /// The daily POS pull (or `gateway pos sync`).
    case pull
    /// `POST /v1/pos/outlets/{oid}` from the POS.
    case push
}
