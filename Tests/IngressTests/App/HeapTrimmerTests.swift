import Foundation
import GatewayTestSupport
import XCTest

/// `/metrics` shows the heap as malloc counts it, so resident memory that grows can be told apart from a leak: the
/// bytes in live allocations and the bytes malloc holds free (handed back to the system once a minute).
final class HeapTrimmerTests: XCTestCase {
    func testMetricsShowTheHeapInUseAndHeldFree() throws {
        let gateway = try TestGateway()
        let metrics = try gateway.request("GET", "/metrics").text
        func value(_ state: String) -> Double? {
            let series = #"gateway_process_heap_bytes{state=""# + state + #""} "#
            return metrics.split(separator: "\n").first { $0.hasPrefix(series) }
                .flatMap { Double($0.dropFirst(series.count)) }
        }
        let inUse = try XCTUnwrap(value("in_use"))
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(value("free")), 0)
        if !Sanitizer.isActive { XCTAssertGreaterThan(inUse, 1_000_000, "a running gateway holds more than a megabyte") }
    }
}
