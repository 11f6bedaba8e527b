import GatewayKit
import Storage

/// How a service hands a result to whoever asked (a route, a command): after the commit, failures already mapped.
public typealias Answer<T> = @Sendable (Result<T, GatewayError>) -> Void

extension Database {
    /// `work` as one write unit of work, its failure as the caller's answer: a ``GatewayError`` thrown by `work` (it
    /// rolled `work` back) as it is, anything else through ``GatewayError/storage(_:)``.
    public func write<T: Sendable>(_ work: @escaping @Sendable (any DatabaseConnection) throws -> T,
                                   answer: @escaping Answer<T>) {
        write(work, completion: { answer($0.mapError(GatewayError.storage)) })
    }
}

/// What a caller adds to a service's unit of work: written after the service's own changes, in the same transaction,
/// seeing the service's result — the audit row of a change made through the API, which names the record the change
/// created. The service does not know what it is; a refusal by the service writes neither.
public typealias Addendum<T> = @Sendable (T, any DatabaseConnection) throws -> Void

extension Database {
    /// ``write(_:answer:)`` with `addendum` written after `work` in the same transaction.
    public func write<T: Sendable>(_ work: @escaping @Sendable (any DatabaseConnection) throws -> T,
                                   addendum: Addendum<T>?, answer: @escaping Answer<T>) {
        write({ c in
            let value = try work(c)
            try addendum?(value, c)
            return value
        }, answer: answer)
    }
}
