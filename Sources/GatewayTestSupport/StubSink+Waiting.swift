import Foundation
import HTTPTesting
import XCTest

package extension StubSink {
    /// Waits (bounded) until at least `count` requests arrived.
    @discardableResult
    func waitForRequests(_ count: Int, timeout: TimeInterval = 10, file: StaticString = #filePath,
                         line: UInt = #line) -> [Received] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let now = received
            if now.count >= count { return now }
            Thread.sleep(forTimeInterval: 0.005)
        }
        XCTFail("expected \(count) requests, got \(received.count)", file: file, line: line)
        return received
    }
}
