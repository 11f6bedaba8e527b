import CThreadName
import Foundation
import GatewayKit
import XCTest

/// The gateway's background threads carry their names where the OS shows them (`top -H`, `perf`, `/proc`): benchmarks
/// and profiles find a thread by its name, and Foundation's `Thread.name` setter loses it when the new thread starts
/// running before `start()` has returned.
final class ThreadNameTests: XCTestCase {
    /// The name each loop's thread had during its first pass.
    private final class SeenNames: @unchecked Sendable {
        private let lock = NSLock()
        private var names = [String: String]()
        let firstPasses = DispatchGroup()

        func record(_ name: String, for loop: String) {
            lock.withLock {
                if names[loop] == nil { firstPasses.leave() }
                names[loop] = name
            }
        }

        func name(of loop: String) -> String? { lock.withLock { names[loop] } }
    }

    func testEveryPollingLoopThreadCarriesItsName() {
        let seen = SeenNames()
        let expected = (0..<24).map { "loop-name-\($0)" }
        let loops = expected.map { name -> PollingLoop in
            seen.firstPasses.enter()
            return PollingLoop(name: name, pollIntervalMilliseconds: 10_000) {
                seen.record(Self.currentThreadName(), for: name)
                return false
            }
        }
        loops.forEach { $0.start() }
        XCTAssertEqual(seen.firstPasses.wait(timeout: .now() + 10), .success)
        loops.forEach { $0.stop() }
        for name in expected { XCTAssertEqual(seen.name(of: name), name) }
    }

    static func currentThreadName() -> String {
        var buffer = [CChar](repeating: 0, count: 32)
        _ = gw_current_thread_name(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
