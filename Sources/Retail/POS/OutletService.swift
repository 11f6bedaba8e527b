import Delivery
import GatewayKit
import Storage

/// Outlets as the POS API sees them: a pushed outlet (an upsert through the same ``OutletWriter`` as imports), one
/// outlet, a page of them.
public struct OutletService: Sendable {
    private let database: any Database
    private let writer: OutletWriter

    public init(database: any Database, writer: OutletWriter) {
        self.database = database
        self.writer = writer
    }

    /// Applies a pushed outlet; a refused field is a 400 naming it and writes nothing.
    public func push(_ input: OutletInput, now: Int64, addendum: Addendum<OutletWriter.Write>? = nil,
                     answer: @escaping Answer<OutletWriter.Write>) {
        database.write({ [writer] connection in
            do {
                return try writer.apply(input, via: .push, now: now, in: connection)
            } catch let error as OutletWriteError {
                throw GatewayError.validation(error.problems)
            }
        }, addendum: addendum, answer: answer)
    }

    /// The outlet `oid`, nil when the POS data does not hold it. Blocking read.
    public func outlet(_ oid: String) throws -> OutletRecord? {
        try database.read { try OutletDirectory.outlet(oid, in: $0) }
    }

    /// A page in OID order (see ``OutletDirectory/page(fid:phone:after:limit:within:in:)``), limited further by
    /// `within` (on `o.fid`, `o.oid`: the caller's scope). Blocking read.
    public func page(fid: String?, phone: String?, after: String?, limit: Int,
                     within: SQLCondition? = nil) throws -> (items: [OutletRecord], nextCursor: String?) {
        try database.read {
            try OutletDirectory.page(fid: fid, phone: phone, after: after, limit: limit, within: within, in: $0)
        }
    }
}
