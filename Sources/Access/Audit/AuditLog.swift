import GatewayKit
import Storage

/// Reading the audit log (`GET /v1/audit`).
public struct AuditLog: Sendable {
    private let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// One page as ``AuditQuery/run(in:)`` shapes it. Blocking read.
    public func page(_ query: AuditQuery) throws -> JSONValue {
        try database.read { try query.run(in: $0) }
    }
}
