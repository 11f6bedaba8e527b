import Delivery
import Dispatch
import GatewayKit

/// How routes answer what a feature service returns. Routes parse and validate the request, call one service method
/// and answer; they never open a unit of work themselves.
extension Responder {
    /// Answers what `read` finds, computed off libmicrohttpd's threads (a page can take a while): nil is a 404 with
    /// `missing`, a thrown error its problem (storage failures mapped once, by ``GatewayError/storage(_:)``).
    func answer(missing: String, _ read: @escaping @Sendable () throws -> JSONValue?) {
        DispatchQueue.global().async {
            do {
                guard let document = try read() else { return self.problem(.notFound(missing)) }
                self.json(document)
            } catch {
                self.problem(GatewayError.storage(error))
            }
        }
    }

    /// Answers a service's result: `success` for its value, the problem for its error.
    func answer<T>(_ result: Result<T, GatewayError>, _ success: (T) -> Void) {
        switch result {
        case .success(let value): success(value)
        case .failure(let error): problem(error)
        }
    }
}
