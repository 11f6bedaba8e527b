import Delivery

/// A position in the desk's change feed as its clients see it: the `id` of a stream event, presented back as
/// `Last-Event-ID`. The feed is read in (writing transaction, `seq`) order (``LogPosition``); where the transaction
/// is 0 — always on SQLite, whose one writer commits in `seq` order, and for events written on PostgreSQL before the
/// feed recorded transactions — the id is `seq` alone, as it always was; otherwise `transaction.seq` (`48213.4182`).
/// Clients treat ids as opaque text.
extension LogPosition {
    /// The position as a stream event's `id`.
    public var eventID: String {
        transaction == 0 ? String(id) : "\(transaction).\(id)"
    }

    /// The position an event id names; nil when `text` is no such id (not one or two whole numbers joined by a dot).
    public init?(eventID text: String) {
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        let numbers = parts.compactMap { Int64($0) }.filter { $0 >= 0 }
        guard numbers.count == parts.count else { return nil }
        switch numbers.count {
        case 1: self.init(transaction: 0, id: numbers[0])
        case 2: self.init(transaction: numbers[0], id: numbers[1])
        default: return nil
        }
    }
}
