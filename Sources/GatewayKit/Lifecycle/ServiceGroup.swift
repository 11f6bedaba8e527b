import Foundation

/// Starts services in the order given and stops them in reverse, so a service stops before the ones it relies on
/// (list the HTTP server last: it stops first, and the workers then finish what requests left them). A service that
/// fails to start stops the ones already started, in reverse, before the error is rethrown.
public final class ServiceGroup: @unchecked Sendable {
    private let services: [any Service]
    private let lock = NSLock()
    /// How many of `services` are running (a prefix of the list); guarded by `lock`.
    private var running = 0

    public init(_ services: [any Service]) {
        self.services = services
    }

    /// Starts every service in order; on a failure stops those already started and rethrows.
    public func start() throws {
        lock.lock()
        defer { lock.unlock() }
        guard running == 0 else { return }
        for service in services {
            do {
                try service.start()
                running += 1
            } catch {
                stopRunning()
                throw error
            }
        }
    }

    /// Stops the running services in reverse order of their start. Idempotent.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        stopRunning()
    }

    private func stopRunning() {
        for service in services[..<running].reversed() { service.stop() }
        running = 0
    }
}
