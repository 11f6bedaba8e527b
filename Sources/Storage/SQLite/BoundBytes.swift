import Foundation

/// The bytes of the text and blob parameters of the statement a connection is running, copied into one buffer the
/// connection keeps and bound by pointer (`SQLITE_STATIC`). Bound as a copy (`SQLITE_TRANSIENT`), SQLite allocates
/// every such value and frees it when the bindings are cleared — an allocation and a free per parameter of every
/// statement on the writer.
///
/// A connection runs one statement at a time: bound, stepped to its end, then reset with its bindings cleared before
/// the next is bound (``SQLiteConnection``'s `withStatement`). So the buffer is only ever reused, grown or released
/// between statements, never while SQLite holds pointers into it.
final class BoundBytes {
    /// A buffer grown past this for one large parameter is released after its statement rather than kept.
    static let keptCapacity = 1 << 20

    private var storage: UnsafeMutableRawPointer?
    private var capacity = 0
    private var used = 0

    deinit { free(storage) }

    /// Makes room for `total` bytes of the next statement's parameters; the earlier statement's are dropped.
    func prepare(for total: Int) {
        used = 0
        guard total > capacity else { return }
        free(storage)
        capacity = max(total, 2 * capacity, 4096)
        storage = malloc(capacity)
    }

    /// A copy of `bytes` inside the buffer, valid until the next ``prepare(for:)`` or ``releaseIfLarge()``. Room for
    /// it must have been made by ``prepare(for:)``.
    func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawPointer {
        precondition(used + bytes.count <= capacity, "parameter bytes beyond the room prepared for them")
        let destination = storage! + used
        if let base = bytes.baseAddress { destination.copyMemory(from: base, byteCount: bytes.count) }
        used += bytes.count
        return UnsafeRawPointer(destination)
    }

    /// After a statement is reset: a buffer grown large for one value is not kept for the many small ones.
    func releaseIfLarge() {
        guard capacity > Self.keptCapacity else { return }
        free(storage)
        storage = nil
        capacity = 0
        used = 0
    }
}
