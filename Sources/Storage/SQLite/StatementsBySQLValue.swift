/// A connection's cached statements found by the SQL string value they were asked for, not by its text.
///
/// SQL is nearly always a string literal or a stored constant: the same value every time, so its two machine words
/// (the bytes of a short string, kept inside the value; a longer one's count and the address of its bytes) find the
/// statement without hashing the text (hashing 100-400 bytes of SQL per statement was ~4 % of the inbound applier's
/// CPU, and SipHashing an address ~1.3 %). The words are mixed with one multiplication into an open-addressed table.
/// A hit is only a hint: the caller compares the statement's SQL with the text asked for (instant for the same value),
/// which guards against the words of a string that no longer exists being reused by another.
struct StatementsBySQLValue {
    /// Past this many entries the table forgets every value and starts again: SQL built anew for each use (which
    /// should not happen on a hot path) adds an entry each time and would otherwise fill it for good.
    static let capacity = 256
    private static let slotCount = 512

    private struct Entry {
        let key: SQLValueKey
        let statement: PreparedStatement
    }

    private var slots = [Entry?](repeating: nil, count: Self.slotCount)
    private(set) var count = 0

    subscript(sql: String) -> PreparedStatement? {
        let key = SQLValueKey(sql)
        var slot = key.slot(among: Self.slotCount)
        while let entry = slots[slot] {
            if entry.key == key { return entry.statement }
            slot = (slot + 1) & (Self.slotCount - 1)
        }
        return nil
    }

    mutating func remember(_ statement: PreparedStatement, for sql: String) {
        if count >= Self.capacity { removeAll() }
        let key = SQLValueKey(sql)
        var slot = key.slot(among: Self.slotCount)
        while let entry = slots[slot] {
            if entry.key == key {
                slots[slot] = Entry(key: key, statement: statement)
                return
            }
            slot = (slot + 1) & (Self.slotCount - 1)
        }
        slots[slot] = Entry(key: key, statement: statement)
        count += 1
    }

    mutating func removeAll() {
        for index in slots.indices { slots[index] = nil }
        count = 0
    }
}

/// The two machine words of a `String` value: its bytes when short, its count, flags and storage address when not.
private struct SQLValueKey: Equatable {
    let low: UInt64
    let high: UInt64

    init(_ sql: String) {
        (low, high) = unsafeBitCast(sql, to: (UInt64, UInt64).self)
    }

    func slot(among slotCount: Int) -> Int {
        let mixed = (low ^ (high &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: mixed >> 32) & (slotCount - 1)
    }
}
