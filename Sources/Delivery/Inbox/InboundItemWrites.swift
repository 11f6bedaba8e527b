import Dispatch
import Storage

/// Where the inbound applier queues its items' write operations, so that they take effect one at a time in the order
/// queued on either engine — the order a customer's messages are filed in, and what makes a new sender's first two
/// messages one customer and one ticket. The embedded engine's single writer already runs writes so (and commits many
/// together); where writes run side by side (a PostgreSQL pool), the items go through one serial lane of their own,
/// each waiting for the commit of the one before.
final class InboundItemWrites: Sendable {
    private let database: any Database
    /// The lane, only where the database itself would not keep the order.
    private let lane: DispatchQueue?

    init(database: any Database) {
        self.database = database
        lane = database.writesRunSideBySide ? DispatchQueue(label: "inbound-item-writes") : nil
    }

    /// Queues `work` after every item queued before it; `completion` gets its result after its commit.
    func write<T: Sendable>(_ work: @escaping @Sendable (any DatabaseConnection) throws -> T,
                            completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        guard let lane else { return database.write(work, completion: completion) }
        lane.async { [database] in completion(Result { try database.write(work) }) }
    }
}
