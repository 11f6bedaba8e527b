import Foundation
import Storage

/// Where the inbound applier queues its items' write operations, so that they take effect one at a time in the order
/// queued on either engine — the order a customer's messages are filed in, and what makes a new sender's first two
/// messages one customer and one ticket. The embedded engine's single writer already runs writes so (and commits many
/// together). Where writes run side by side (a PostgreSQL pool), the items go through one lane of their own: what is
/// queued while a transaction runs is applied in the next one, in order, each item in a savepoint of its own (one that
/// throws is undone alone, as on the embedded writer), and each hears of its result after that commit.
final class InboundItemWrites: @unchecked Sendable {
    private let database: any Database
    /// The lane, only where the database itself would not keep the order.
    private let lane: DispatchQueue?
    private let lock = NSLock()
    /// Operations waiting for the lane's next transaction, oldest first; guarded by `lock`.
    private var queued: [Entry] = []
    /// Whether the lane is draining `queued`; guarded by `lock`.
    private var draining = false
    /// The most operations one transaction of the lane takes.
    private static let batchLimit = 64

    init(database: any Database) {
        self.database = database
        lane = database.writesRunSideBySide ? DispatchQueue(label: "inbound-item-writes") : nil
    }

    /// Queues `work` after every item queued before it; `completion` gets its result after its commit.
    func write<T: Sendable>(_ work: @escaping @Sendable (any DatabaseConnection) throws -> T,
                            completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        guard let lane else { return database.write(work, completion: completion) }
        let value = ValueBox<T>()
        let entry = Entry(run: { value.value = try work($0) },
                          finish: { result in completion(result.map { value.value! }) })
        let start = lock.withLock { () -> Bool in
            queued.append(entry)
            guard !draining else { return false }
            draining = true
            return true
        }
        if start { lane.async { self.drain() } }
    }

    /// Applies what is queued, a transaction at a time, until nothing is.
    private func drain() {
        while true {
            let batch: [Entry] = lock.withLock {
                let batch = Array(queued.prefix(Self.batchLimit))
                queued.removeFirst(batch.count)
                if batch.isEmpty { draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            let results = Result {
                try database.write { connection in
                    try batch.map { entry -> Result<Void, any Error> in
                        do {
                            return .success(try connection.savepoint { try entry.run(connection) })
                        } catch let error as any DatabaseError where error.isTransient {
                            throw error   // the whole transaction again (a deadlock), or every item stays pending
                        } catch {
                            return .failure(error)
                        }
                    }
                }
            }
            for (index, entry) in batch.enumerated() {
                entry.finish(results.flatMap { $0[index] })
            }
        }
    }

    /// One queued operation: `run` does its work (keeping its value), `finish` answers its caller.
    private struct Entry: Sendable {
        let run: @Sendable (any DatabaseConnection) throws -> Void
        let finish: @Sendable (Result<Void, any Error>) -> Void
    }
}

/// The value of one queued operation, from its run (the last, when its transaction ran again) to its answer.
private final class ValueBox<T>: @unchecked Sendable {
    var value: T?
}
