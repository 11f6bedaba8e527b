import GatewayKit
import Storage
import Synchronization

/// Appends grouped into shared transactions where the log's writes run side by side (PostgreSQL). A transaction of its
/// own per delivery costs the server a commit and three statements for every webhook — most of its CPU on the
/// acknowledgement path; the embedded log's one writer groups commits itself. Deliveries that arrive while a group is
/// being written wait for the next one (at most ``maxGroupsInFlight`` at a time per instance), so a group is one
/// delivery when webhooks trickle in and grows with the rate: every delivery is acknowledged after its group commits.
/// A group the server refuses is appended again one delivery at a time, so a delivery the server cannot take never
/// fails the others.
final class AppendGroups: Sendable {
    typealias Completion = @Sendable (Result<AppendOutcome, any Error>) -> Void

    /// A delivery waiting for its group.
    struct Pending: Sendable {
        let delivery: NewDelivery
        let hash: Int64
        let completion: Completion
    }

    private struct Queue: ~Copyable {
        var waiting: [Pending] = []
        var groupsInFlight = 0
    }

    /// Groups written at the same time by one instance: enough to keep the server's cores busy while one commits.
    static let maxGroupsInFlight = 4
    /// Group sizes are powers of two up to this, so each connection prepares a handful of statements, not hundreds.
    static let maxGroupSize = 128

    private let queue = Mutex(Queue())
    private let write: @Sendable ([Pending], @escaping @Sendable (Result<[AppendOutcome], any Error>) -> Void) -> Void
    private let alone: @Sendable (Pending) -> Void

    /// - Parameters:
    ///   - write: writes one group in one transaction, its outcomes in the group's order.
    ///   - alone: appends one delivery in a transaction of its own (a refused group's deliveries, one by one).
    init(write: @escaping @Sendable ([Pending], @escaping @Sendable (Result<[AppendOutcome], any Error>) -> Void) -> Void,
         alone: @escaping @Sendable (Pending) -> Void) {
        self.write = write
        self.alone = alone
    }

    /// Queues `pending`; starts a group unless enough are being written (their completions start the next).
    func append(_ pending: Pending) {
        let starts = queue.withLock { queue in
            queue.waiting.append(pending)
            guard queue.groupsInFlight < Self.maxGroupsInFlight else { return false }
            queue.groupsInFlight += 1
            return true
        }
        if starts { writeNextGroup() }
    }

    /// Takes the next group off the queue and writes it; when it has committed (or failed), carries on with what
    /// queued meanwhile. Ends, giving up its place, when nothing waits.
    private func writeNextGroup() {
        let group: [Pending] = queue.withLock { queue in
            let size = Self.groupSize(queue.waiting.count)
            guard size > 0 else {
                queue.groupsInFlight -= 1
                return []
            }
            defer { queue.waiting.removeFirst(size) }
            return Array(queue.waiting.prefix(size))
        }
        guard !group.isEmpty else { return }
        write(group) { [self] result in
            switch result {
            case .success(let outcomes):
                for (pending, outcome) in zip(group, outcomes) { pending.completion(.success(outcome)) }
            case .failure(let error) where group.count == 1:
                group[0].completion(.failure(error))
            case .failure:
                for pending in group { alone(pending) }
            }
            writeNextGroup()
        }
    }

    /// The largest power of two up to ``maxGroupSize`` that `waiting` deliveries fill; 0 for none.
    static func groupSize(_ waiting: Int) -> Int {
        guard waiting > 0 else { return 0 }
        var size = 1
        while size * 2 <= min(waiting, maxGroupSize) { size *= 2 }
        return size
    }
}

extension InboxLog {
    /// Appends `group` in the connection's transaction: one insert for all, the unique index over (hash, key) skipping
    /// those logged before (by any instance: the insert waits for a transaction appending the same key and skips the
    /// row if it commits); those skipped get the first delivery's answer. Rows are inserted in (hash, key) order so
    /// two groups waiting on each other's keys wait in one direction, not in a circle. A key twice in the group is
    /// inserted once and answered like any duplicate.
    static func appendGroup(_ group: [AppendGroups.Pending], in connection: any DatabaseConnection) throws
        -> [AppendOutcome] {
        var firstOfKey: [String: Int] = [:]
        for (index, pending) in group.enumerated() where firstOfKey[pending.delivery.dedupeKey] == nil {
            firstOfKey[pending.delivery.dedupeKey] = index
        }
        let rows = firstOfKey.values.sorted {
            (group[$0].hash, group[$0].delivery.dedupeKey) < (group[$1].hash, group[$1].delivery.dedupeKey)
        }
        let stored = try insertReturningKeys(rows.map { group[$0] }, in: connection)
        var outcomes = [AppendOutcome?](repeating: nil, count: group.count)
        for index in rows {
            let pending = group[index]
            if stored.contains(pending.delivery.dedupeKey) {
                outcomes[index] = .stored
            } else if let first = try firstAnswer(to: pending.delivery, hash: pending.hash, in: connection) {
                outcomes[index] = first
            } else {
                // The row it conflicted with was pruned in between: the delivery is new again.
                outcomes[index] = try appendSideBySide(pending.delivery, hash: pending.hash, in: connection)
            }
        }
        return group.indices.map { index in
            if let outcome = outcomes[index] { return outcome }
            // A later copy of a key in this group: answered as the first copy was, or as its duplicate.
            let first = firstOfKey[group[index].delivery.dedupeKey] ?? index
            if case .duplicate? = outcomes[first], let answer = outcomes[first] { return answer }
            let original = group[first].delivery
            return .duplicate(publicID: original.publicID, responseStatus: original.responseStatus,
                              responseBody: original.responseBody)
        }
    }

    /// Inserts `rows` in one statement, skipping keys already logged; the keys it inserted.
    private static func insertReturningKeys(_ rows: [AppendGroups.Pending], in connection: any DatabaseConnection)
        throws -> Set<String> {
        let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows.count).joined(separator: ", ")
        let inserted = try connection.query("""
            INSERT INTO deliveries (dedupe_hash, dedupe_key, public_id, source, received_at, request_id,
                                    traceparent, body, response_status, response_body)
            VALUES \(values) ON CONFLICT (dedupe_hash, dedupe_key) DO NOTHING RETURNING dedupe_key
            """, rows.flatMap { columns($0.delivery, hash: $0.hash) })
        return Set(inserted.compactMap { $0.string("dedupe_key") })
    }
}
