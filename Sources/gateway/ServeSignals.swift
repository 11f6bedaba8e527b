import Dispatch
import Foundation

/// The signals `gateway serve` handles, routed to dispatch sources (not C handlers) so that they run as ordinary code
/// on an ordinary thread: SIGTERM and SIGINT end ``waitForShutdown()``; SIGHUP, when a hang-up action is given (an
/// HTTPS gateway reloading its certificate), runs that action and the process carries on. Without one, SIGHUP keeps
/// its default disposition.
///
/// Install it before the server listens: a signal sent as soon as the port is open then finds it in place instead of
/// the default disposition, which would end the process.
final class ServeSignals {
    private let queue = DispatchQueue(label: "gateway.signals")
    private let shutdown = DispatchSemaphore(value: 0)
    private var sources: [DispatchSourceSignal] = []

    /// Installs the handlers; `onHangUp` runs on the signal queue, one SIGHUP after another.
    init(onHangUp: (@Sendable () -> Void)?) {
        let shutdown = self.shutdown
        for signalNumber in [SIGTERM, SIGINT] {
            listen(to: signalNumber) { shutdown.signal() }
        }
        if let onHangUp {
            listen(to: SIGHUP, onHangUp)
        }
    }

    /// Blocks until SIGTERM or SIGINT arrives, then stops handling signals.
    func waitForShutdown() {
        shutdown.wait()
        sources.forEach { $0.cancel() }
    }

    private func listen(to signalNumber: Int32, _ handler: @escaping @Sendable () -> Void) {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
        source.setEventHandler(handler: handler)
        source.resume()
        sources.append(source)
    }
}
