import Foundation
import Storage
import Synchronization

/// A unit of work held open after its statements ran, on a connection of the database's pool, until the test commits
/// or rolls it back: what a slow transaction of another instance looks like to readers and to other writers.
package final class HeldWrite: @unchecked Sendable {
    private let written = DispatchSemaphore(value: 0)
    private let release = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let commit = Atomic<Bool>(true)
    private struct RolledBack: Error {}
    private struct NeverWritten: Error {}

    /// Starts the unit of work on a thread of its own: it runs `statements`, then waits for ``finish(commit:)``.
    package init(database: any Database, _ statements: @escaping @Sendable (any DatabaseConnection) throws -> Void) {
        Thread.detachNewThread { [self] in
            _ = try? database.write { [self] connection in
                try statements(connection)
                written.signal()
                release.wait()
                if !commit.load(ordering: .sequentiallyConsistent) { throw RolledBack() }
            }
            finished.signal()
        }
    }

    /// Waits until the statements ran (ten seconds at most).
    package func waitUntilWritten() throws {
        guard written.wait(timeout: .now() + 10) == .success else { throw NeverWritten() }
    }

    /// Commits or rolls back, and waits until it has.
    package func finish(commit: Bool) {
        self.commit.store(commit, ordering: .sequentiallyConsistent)
        release.signal()
        finished.wait()
    }
}
