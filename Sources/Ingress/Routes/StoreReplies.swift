import Delivery
import Dispatch
import GatewayKit
import Storage

/// Answers computed from the store, for routes whose handlers only read or only run one write.
extension Responder {
    /// Runs `body` on a read-only connection off libmicrohttpd's threads; nil from `body` is a 404 with `missing`.
    func read(_ store: any GatewayStore, missing: String,
              _ body: @escaping @Sendable (any DatabaseConnection) throws -> JSONValue?) {
        DispatchQueue.global().async {
            do {
                guard let document = try store.read(body) else { return self.problem(.notFound(missing)) }
                self.json(document)
            } catch let error as GatewayError {
                self.problem(error)
            } catch {
                self.problem(GatewayError.storage(error))
            }
        }
    }

    /// Runs `body` as one single-writer operation and answers its document with its status; a thrown
    /// ``GatewayError`` rolls the operation back and becomes the answer.
    func write(_ store: any GatewayStore,
               _ body: @escaping @Sendable (any DatabaseConnection) throws -> (document: JSONValue, status: Int)) {
        write(store, counting: nil) { connection in
            let (document, status) = try body(connection)
            return (document, status, MetricCounts())
        }
    }

    /// Like ``write(_:_:)``; the counts `body` gathered are added to `metrics` once the operation has committed (a
    /// rolled-back one counts nothing).
    func write(_ store: any GatewayStore, counting metrics: MetricsRegistry?,
               _ body: @escaping @Sendable (any DatabaseConnection) throws
                   -> (document: JSONValue, status: Int, counts: MetricCounts)) {
        store.database.write(body, completion: { result in
            switch result {
            case .success(let answer):
                if let metrics { answer.counts.record(in: metrics) }
                self.json(answer.document, status: answer.status)
            case .failure(let error as GatewayError): self.problem(error)
            case .failure(let error): self.problem(GatewayError.storage(error))
            }
        })
    }
}
