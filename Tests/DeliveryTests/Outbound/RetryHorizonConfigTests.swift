import Configuration
import Delivery
import GatewayKit
import GatewayTesting
import XCTest

/// `outbound.max_retry_age` and its per-endpoint override `outbound.endpoints.<name>.max_retry_age`.
final class RetryHorizonConfigTests: XCTestCase {
    func testDefaultIsADay() throws {
        let outbound = try ConfigLoader.load(file: nil, environment: [:]).outbound
        XCTAssertEqual(outbound.maxRetryAgeMilliseconds, 86_400_000)
        XCTAssertEqual(outbound.maxRetryAgeMilliseconds(for: "whatsapp"), 86_400_000)
        XCTAssertEqual(outbound.maxRetryAgeMilliseconds(for: "not-configured"), 86_400_000)
    }

    func testDefaultAndPerEndpointValuesAreRead() throws {
        let outbound = try ConfigFixture.load("""
            {"outbound": {"max_retry_age": "6h",
                          "endpoints": {"whatsapp": {"max_retry_age": "30m"},
                                        "billing": {"url": "http://127.0.0.1:9/b", "max_retry_age": "7d"}}}}
            """).outbound
        XCTAssertEqual(outbound.maxRetryAgeMilliseconds, 6 * 3_600_000)
        XCTAssertEqual(outbound.maxRetryAgeMilliseconds(for: "whatsapp"), 30 * 60_000)
        XCTAssertEqual(outbound.maxRetryAgeMilliseconds(for: "billing"), 7 * 86_400_000)
        XCTAssertEqual(outbound.maxRetryAgeMilliseconds(for: "events"), 6 * 3_600_000)
        XCTAssertEqual(outbound.endpoints["whatsapp"]?.ratePerSecond, 80, "other defaults of the endpoint kept")
        XCTAssertNil(try ConfigFixture.load(#"{"outbound": {"endpoints": {"crm": {"max_retry_age": null}}}}"#)
            .outbound.endpoints["crm"]?.maxRetryAgeMilliseconds, "null: the default applies")
    }

    func testBadValuesAreRefusedByName() {
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"max_retry_age":86400}}"#),
                       .invalidValue(key: "outbound.max_retry_age", reason: "must be a duration string such as \"5s\""))
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"max_retry_age":"forever"}}"#),
                       .invalidValue(key: "outbound.max_retry_age",
                                     reason: "must be a duration such as 250ms, 5s, 2m, 1h or 7d"))
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"max_retry_age":"30s"}}"#),
                       .invalidValue(key: "outbound.max_retry_age", reason: "must be between 1m and 30d"))
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"max_retry_age":"31d"}}"#),
                       .invalidValue(key: "outbound.max_retry_age", reason: "must be between 1m and 30d"))
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"endpoints":{"whatsapp":{"max_retry_age":"0s"}}}}"#),
                       .invalidValue(key: "outbound.endpoints.whatsapp.max_retry_age",
                                     reason: "must be between 1m and 30d"))
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"endpoints":{"billing":{"max_retry_age":2}}}}"#),
                       .invalidValue(key: "outbound.endpoints.billing.max_retry_age",
                                     reason: "must be a duration string such as \"5s\""))
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"endpoints":{"billing":{"max_retry_ages":"1h"}}}}"#),
                       .unknownKey("outbound.endpoints.billing.max_retry_ages"))
    }
}
