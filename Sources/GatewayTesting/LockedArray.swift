import Foundation

/// A thread-safe append-only array for collecting results from concurrent requests.
package final class LockedArray<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [T] = []
    package init() {}
    package func append(_ value: T) { lock.lock(); storage.append(value); lock.unlock() }
    package var values: [T] { lock.lock(); defer { lock.unlock() }; return storage }
}
