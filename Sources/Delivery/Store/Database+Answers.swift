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
