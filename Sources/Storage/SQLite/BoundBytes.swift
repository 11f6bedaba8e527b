import Foundation

/// The bytes of the text and blob parameters of the statement a connection is running, copied into a buffer the
/// connection keeps and bound by pointer (`SQLITE_STATIC`). Bound as a copy (`SQLITE_TRANSIENT`), SQLite allocates
/// every such value and frees it when the bindings are cleared — an allocation and a free per parameter of every
/// statement on the writer.
///
/// A connection runs one statement at a time: bound, stepped to its end, then reset with its bindings cleared before
/// the next is bound (``SQLiteConnection``'s `withStatement`). So the buffer is only ever reused, grown or released
/// between statements, never while SQLite holds pointers into it. A value that does not fit in what is left of the
/// buffer gets a block of its own (the buffer cannot move while earlier values point into it), freed at the next
/// statement, which finds the buffer grown by as much.
final class BoundBytes {
    /// A buffer grown past this for large parameters is released after its statement rather than kept.
    static let keptCapacity = 1 << 20
    static let initialCapacity = 4096

    private var storage: UnsafeMutableRawPointer?
    private var capacity = 0
    private var used = 0
    /// Blocks of the values that did not fit, and their size.
    private var overflow: [UnsafeMutableRawPointer] = []
    private var overflowBytes = 0

    deinit {
        free(storage)
        overflow.forEach { free($0) }
    }

    /// Before the next statement's parameters: the earlier statement's are dropped, and the buffer grows by what did
    /// not fit in it.
    func reset() {
        used = 0
        guard storage == nil || !overflow.isEmpty else { return }
        let needed = max(Self.initialCapacity, capacity + overflowBytes)
        overflow.forEach { free($0) }
        overflow.removeAll(keepingCapacity: true)
        overflowBytes = 0
        free(storage)
        capacity = needed
        storage = malloc(capacity)
    }

    /// A copy of `bytes`, valid until the next ``reset()`` or ``releaseIfLarge()``.
    func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawPointer {
        let destination: UnsafeMutableRawPointer
        if let storage, used + bytes.count <= capacity {
            destination = storage + used
            used += bytes.count
        } else {
            destination = malloc(max(1, bytes.count))!
            overflow.append(destination)
            overflowBytes += bytes.count
        }
        if let base = bytes.baseAddress { destination.copyMemory(from: base, byteCount: bytes.count) }
        return UnsafeRawPointer(destination)
    }

    /// After a statement is reset: a buffer grown large for a few values is not kept for the many small ones.
    func releaseIfLarge() {
        guard capacity + overflowBytes > Self.keptCapacity else { return }
        free(storage)
        storage = nil
        capacity = 0
        used = 0
        overflow.forEach { free($0) }
        overflow.removeAll()
        overflowBytes = 0
    }
}
