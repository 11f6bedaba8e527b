import Foundation
import XCTest

/// Polls `condition` until it holds, failing the test after `timeout`: what the test waits for happens on other
/// threads (the dispatcher, the normalizer, another process).
package func eventually(_ what: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line,
                _ condition: () throws -> Bool) {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if (try? condition()) == true { return }
        Thread.sleep(forTimeInterval: 0.01)
    }
    XCTFail("timed out waiting for: \(what)", file: file, line: line)
}
