/// A long-running part of the gateway with a start and an orderly stop: a worker loop, the outbox dispatcher, a daily
/// job, the HTTP server. ``ServiceGroup`` starts and stops them; nothing else does.
public protocol Service: AnyObject, Sendable {
    /// Starts the service's threads; returns once it runs.
    func start() throws
    /// Stops the service and waits for its work in progress (each service knows how long it may drain). Idempotent.
    func stop()
}
