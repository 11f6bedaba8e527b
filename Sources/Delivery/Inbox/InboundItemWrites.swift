import Foundation
import GatewayKit
import Storage

/// Where the inbound applier queues its items' write operations, so that one person's items take effect one at a time
/// in the order queued on either engine — the order a customer's messages are filed in, and what makes a new sender's
/// first two messages one customer and one ticket. The embedded engine's single writer runs every write so (and
/// commits many together). Where writes run side by side (a PostgreSQL pool), the items go through rounds of their
/// own: a round takes what is queued, splits it into ``lanes`` by each item's ordering key (a person's items all in
/// one lane, in order) and runs the lanes side by side, each one transaction with every item in a savepoint of its own
/// (one that throws is undone alone, as on the embedded writer); each item hears of its result after its commit, and
/// the next round starts when the last lane of this one has committed. An item without a key (an identity change
/// names two people) is a round of its own, with the keyless items queued right behind it: everything queued before
/// it has taken effect, nothing queued after it has.
final class InboundItemWrites: @unchecked Sendable {
    private let database: any Database
    /// Runs the rounds one after another, only where the database itself would not keep the order.
    private let rounds: DispatchQueue?
    private let lock = NSLock()
    /// Operations waiting for a round, oldest first; guarded by `lock`.
    private var queued: [Entry] = []
    /// Whether a round is running or about to; guarded by `lock`.
    private var draining = false
    /// The most operations one lane's transaction takes (a lane may take more when one person's items fill a round).
    private static let batchLimit = 64
    /// Lanes a round runs side by side: connections of the pool one round holds.
    static let lanes = 4

    init(database: any Database) {
        self.database = database
        rounds = database.writesRunSideBySide ? DispatchQueue(label: "inbound-item-writes") : nil
    }

    /// Queues `work` after every item queued before it with the same `key` (nil: after every item queued before it,
    /// and before every one queued after); `completion` gets its result after its commit.
    func write<T: Sendable>(orderedBy key: String?, _ work: @escaping @Sendable (any DatabaseConnection) throws -> T,
                            completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        guard let rounds else { return database.write(work, completion: completion) }
        let value = ValueBox<T>()
        let entry = Entry(lane: key.map { Int(UInt64(bitPattern: StableHash.of($0)) % UInt64(Self.lanes)) },
                          run: { value.value = try work($0) },
                          finish: { result in completion(result.map { value.value! }) })
        let start = lock.withLock { () -> Bool in
            queued.append(entry)
            guard !draining else { return false }
            draining = true
            return true
        }
        if start { rounds.async { self.drain() } }
    }

    /// Runs rounds until nothing is queued.
    private func drain() {
        while true {
            let round: [Entry] = lock.withLock {
                let round = Array(Self.nextRound(of: queued))
                queued.removeFirst(round.count)
                if round.isEmpty { draining = false }
                return round
            }
            guard !round.isEmpty else { return }
            let lanes = Self.split(round)
            if lanes.count == 1 {
                run(lanes[0])
            } else {
                DispatchQueue.concurrentPerform(iterations: lanes.count) { run(lanes[$0]) }
            }
        }
    }

    /// The operations at the head of `queued` one round takes: keyless ones in a row (run in order, alone), or keyed
    /// ones up to the next keyless one.
    static func nextRound(of queued: [Entry]) -> ArraySlice<Entry> {
        guard let first = queued.first else { return [] }
        let keyless = first.lane == nil
        let limit = keyless ? batchLimit : batchLimit * lanes
        return queued.prefix { ($0.lane == nil) == keyless }.prefix(limit)
    }

    /// A round's operations by lane, each lane in the order queued; keyless operations make one lane.
    static func split(_ round: [Entry]) -> [[Entry]] {
        var lanes = [[Entry]](repeating: [], count: Self.lanes + 1)
        for entry in round { lanes[entry.lane ?? Self.lanes].append(entry) }
        return lanes.filter { !$0.isEmpty }
    }

    /// One lane of a round: its operations in one transaction, each in its own savepoint; answers each after the commit.
    private func run(_ batch: [Entry]) {
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

    /// One queued operation: `lane` is where its key puts it (nil: keyless), `run` does its work (keeping its value),
    /// `finish` answers its caller.
    struct Entry: Sendable {
        let lane: Int?
        let run: @Sendable (any DatabaseConnection) throws -> Void
        let finish: @Sendable (Result<Void, any Error>) -> Void
    }
}

/// The value of one queued operation, from its run (the last, when its transaction ran again) to its answer.
private final class ValueBox<T>: @unchecked Sendable {
    var value: T?
}
