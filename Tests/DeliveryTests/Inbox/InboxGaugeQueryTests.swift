@testable import Delivery
import Foundation
import GatewayTesting
import Storage
import XCTest

/// The lag gauge is read on every scrape, over an inbox that keeps every item it ever applied: its question "which
/// delivery has items still pending" must read the pending items' partial index, not walk all items.
final class InboxGaugeQueryTests: XCTestCase {
    func testTheOldestPendingItemIsFoundThroughThePendingItemsIndex() throws {
        let (store, directory) = try ScratchStore.open("gauge-query")
        defer { ScratchStore.remove(store, directory) }
        let plan = try store.read { connection in
            try connection.query("EXPLAIN QUERY PLAN " + InboxBacklog.oldestWithPendingItems)
                .compactMap { $0.string("detail") }
        }
        XCTAssertTrue(plan.contains { $0.contains("inbox_items_pending") }, plan.joined(separator: "\n"))
        XCTAssertFalse(plan.contains { $0.contains("inbox_items_by_delivery") }, plan.joined(separator: "\n"))
    }
}
