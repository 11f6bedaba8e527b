import GatewayKit
import XCTest

final class MetricsRegistryTests: XCTestCase {
    func testAResolvedCounterSeriesCountsAsIncrementsByNameDo() {
        let registry = MetricsRegistry()
        let accepted = registry.counterSeries("webhooks_total", [("source", "whatsapp"), ("outcome", "accepted")],
                                              help: "Webhooks")
        XCTAssertFalse(registry.render().contains("webhooks_total"), "a series resolved but never counted is not shown")
        accepted.increment()
        registry.increment("webhooks_total", [("source", "whatsapp"), ("outcome", "accepted")], help: "Other text")
        accepted.increment(by: 2)
        registry.increment("webhooks_total", [("source", "whatsapp"), ("outcome", "duplicate")])

        XCTAssertEqual(registry.counter("webhooks_total", [("source", "whatsapp"), ("outcome", "accepted")]), 4)
        XCTAssertEqual(registry.counter("webhooks_total", [("source", "whatsapp"), ("outcome", "duplicate")]), 1)
        let rendered = registry.render()
        XCTAssertTrue(rendered.contains("# HELP webhooks_total Webhooks\n"), "the help given with the first increment")
        XCTAssertTrue(rendered.contains(#"webhooks_total{source="whatsapp",outcome="accepted"} 4"#), rendered)
        XCTAssertTrue(rendered.contains(#"webhooks_total{source="whatsapp",outcome="duplicate"} 1"#), rendered)
    }

    func testAZeroIncrementShowsTheSeries() {
        let registry = MetricsRegistry()
        registry.counterSeries("retries_total").increment(by: 0)
        XCTAssertTrue(registry.render().contains("retries_total 0\n"), registry.render())
    }

    func testHistogramObservationsAccumulate() {
        let registry = MetricsRegistry()
        for value in [0.0004, 0.003, 0.003, 20] {
            registry.observe("latency_seconds", [("route", "/a")], value: value, buckets: [0.001, 0.01])
        }
        let rendered = registry.render()
        for line in [#"latency_seconds_bucket{route="/a",le="0.001"} 1"#, #"latency_seconds_bucket{route="/a",le="0.01"} 3"#,
                     #"latency_seconds_bucket{route="/a",le="+Inf"} 4"#, #"latency_seconds_count{route="/a"} 4"#] {
            XCTAssertTrue(rendered.contains(line + "\n"), line + " in\n" + rendered)
        }
    }

    func testAResolvedHistogramSeriesObservesAsObservationsByNameDo() {
        let registry = MetricsRegistry()
        let series = registry.histogramSeries("latency_seconds", [("route", "/a")], help: "Latency",
                                              buckets: [0.001, 0.01])
        XCTAssertFalse(registry.render().contains("latency_seconds"), "a series resolved but never observed is not shown")
        series.observe(0.0004)
        registry.observe("latency_seconds", [("route", "/a")], value: 0.003, help: "Other text", buckets: [0.001, 0.01])
        series.observe(20)
        let rendered = registry.render()
        XCTAssertTrue(rendered.contains("# HELP latency_seconds Latency\n# TYPE latency_seconds histogram\n"), rendered)
        for line in [#"latency_seconds_bucket{route="/a",le="0.001"} 1"#, #"latency_seconds_bucket{route="/a",le="0.01"} 2"#,
                     #"latency_seconds_bucket{route="/a",le="+Inf"} 3"#, "latency_seconds_sum{route=\"/a\"} \(0.0004 + 0.003 + 20)",
                     #"latency_seconds_count{route="/a"} 3"#] {
            XCTAssertTrue(rendered.contains(line + "\n"), line + " in\n" + rendered)
        }
    }
}
