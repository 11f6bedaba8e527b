/// One operation queued on ``SQLiteWriter``, with its result type erased so jobs of different
/// types share one queue.
struct WriteJob: Sendable {
    /// Runs the operation on the writer's connection. On success returns the closure that will
    /// report the value, called only once the batch has committed.
    let execute: @Sendable (SQLiteConnection) throws -> @Sendable () -> Void
    /// Reports a failure to the submitter.
    let fail: @Sendable (Error) -> Void
    /// Whether the writer wraps the operation in a savepoint of its own (every operation, except one whose changes
    /// come from a single statement: SQLite undoes a failed statement by itself).
    let needsSavepoint: Bool

    init<T: Sendable>(operation: @escaping @Sendable (SQLiteConnection) throws -> T, needsSavepoint: Bool = true,
                      completion: @escaping @Sendable (Result<T, Error>) -> Void) {
        self.needsSavepoint = needsSavepoint
        execute = { connection in
            let value = try operation(connection)
            return { completion(.success(value)) }
        }
        fail = { error in completion(.failure(error)) }
    }
}

/// What happened to a job inside a batch, before its completion is called.
enum WriteJobOutcome {
    case succeeded(report: @Sendable () -> Void)
    case failed(Error)

    var succeeded: Bool {
        if case .succeeded = self { return true }
        return false
    }
}
