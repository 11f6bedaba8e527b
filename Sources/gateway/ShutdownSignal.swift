import Dispatch
import Foundation

/// Blocks until SIGTERM or SIGINT arrives. The signals are routed to a dispatch source (not a C handler), so shutdown
/// runs as ordinary code on an ordinary thread.
enum ShutdownSignal {
    static func wait() {
        let received = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "gateway.signals")
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { received.signal() }
            source.resume()
            sources.append(source)
        }
        received.wait()
        sources.forEach { $0.cancel() }
    }
}
