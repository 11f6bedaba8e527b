import GatewayKit
import Storage

extension GatewayError {
    /// A failed unit of work as an answer: a full queue sheds load (503 with a retry hint), a storage failure or a
    /// held lock is the store being unavailable (503), and anything else from the store is a bug (also 503, never
    /// the client's fault and never a partial write). One mapping for every route and service.
    public static func storage(_ error: any Error) -> GatewayError {
        switch error {
        case let gateway as GatewayError: return gateway
        case StorageError.overloaded: return .overloaded
        case let database as any DatabaseError:
            return .storeUnavailable(database.isTransient ? "database write failed" : "database error")
        default: return .storeUnavailable(String(describing: error))
        }
    }
}
