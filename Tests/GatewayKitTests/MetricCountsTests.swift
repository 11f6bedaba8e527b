import GatewayKit
import XCTest

/// MetricCounts: the same sums and help texts whatever order series are incremented and merged in.
final class MetricCountsTests: XCTestCase {
    private func item(_ outcome: String, created: Double) -> MetricCounts {
        var counts = MetricCounts()
        counts.increment("customers_created_total", by: created, help: "Customers created")
        counts.increment("merges_avoided_total", by: 1 - created, help: "Merges avoided")
        counts.increment("messages_total", [("outcome", outcome)], help: "Messages")
        counts.increment("messages_total", [("outcome", outcome), ("queue", "sales")], help: "Messages by queue")
        return counts
    }

    func testMergingItemsSumsEverySeriesInAnyOrder() {
        var pass = MetricCounts()
        pass.merge(item("opened", created: 1))
        pass.merge(item("appended", created: 0))
        pass.merge(item("opened", created: 0))
        XCTAssertEqual(pass.value("customers_created_total"), 1)
        XCTAssertEqual(pass.value("merges_avoided_total"), 2)
        XCTAssertEqual(pass.value("messages_total", [("outcome", "opened")]), 2)
        XCTAssertEqual(pass.value("messages_total", [("outcome", "appended")]), 1)
        XCTAssertEqual(pass.value("messages_total", [("outcome", "opened"), ("queue", "sales")]), 2)
        XCTAssertEqual(pass.value("messages_total", [("outcome", "opened"), ("queue", "support")]), 0)
        XCTAssertEqual(pass.value("messages_total", [("queue", "sales"), ("outcome", "opened")]), 0,
                       "labels in another order are another series")

        var reversed = MetricCounts()
        reversed.merge(item("opened", created: 0))
        reversed.merge(item("appended", created: 0))
        reversed.merge(item("opened", created: 1))
        XCTAssertEqual(pass, reversed)
    }

    func testMergingIntoNothingKeepsSeriesZerosAndHelp() {
        var counts = MetricCounts()
        counts.merge(item("opened", created: 0))
        XCTAssertEqual(counts, item("opened", created: 0))
        counts.merge(MetricCounts())
        XCTAssertEqual(counts, item("opened", created: 0))

        let registry = MetricsRegistry()
        counts.record(in: registry)
        let rendered = registry.render()
        XCTAssertTrue(rendered.contains("customers_created_total 0\n"), "a zero series is shown: \(rendered)")
        XCTAssertTrue(rendered.contains("# HELP messages_total Messages\n"), "the help given first: \(rendered)")
    }

    func testIncrementsOutOfTheirUsualOrderFindTheirSeries() {
        var counts = MetricCounts()
        for name in ["a", "b", "c", "d"] { counts.increment(name) }
        for name in ["d", "a", "c", "b", "b", "a"] { counts.increment(name, by: 2) }
        XCTAssertEqual(["a", "b", "c", "d"].map { counts.value($0) }, [5, 5, 3, 3])
    }
}
