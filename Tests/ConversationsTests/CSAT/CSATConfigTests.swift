import Configuration
import Conversations
import GatewayKit
import GatewayTesting
import XCTest

/// The `csat` section: defaults, file values, the `CSAT_ENABLED` override, and bad values refused by name.
final class CSATConfigTests: XCTestCase {
    func testDefaultsFileValuesAndEnvironment() throws {
        let defaults = GatewayConfig().csat
        XCTAssertTrue(defaults.enabled)
        XCTAssertEqual(defaults.responseWindowMilliseconds, 7 * 86_400_000)
        XCTAssertEqual(defaults.commentWindowMilliseconds, 30 * 60_000)
        let config = try ConfigFixture.load(#"{"csat": {"enabled": true, "response_window": "3d", "comment_window": "0s"}}"#,
                                            env: ["CSAT_ENABLED": "false"])
        XCTAssertFalse(config.csat.enabled)
        XCTAssertEqual(config.csat.responseWindowMilliseconds, 3 * 86_400_000)
        XCTAssertEqual(config.csat.commentWindowMilliseconds, 0)
    }

    func testBadValuesNameTheKey() {
        XCTAssertEqual(ConfigFixture.error(#"{"csat": {"enabled": "yes"}}"#),
                       .invalidValue(key: "csat.enabled", reason: "must be true or false"))
        XCTAssertEqual(ConfigFixture.error(#"{"csat": {"response_window": "soon"}}"#),
                       .invalidValue(key: "csat.response_window", reason: "must be a duration such as 250ms, 5s, 2m, 1h or 7d"))
        XCTAssertEqual(ConfigFixture.error(#"{"csat": {"response_window": "10s"}}"#)?.description.contains("csat.response_window"),
                       true)
        XCTAssertEqual(ConfigFixture.error(#"{"csat": {"comment_window": "2d"}}"#)?.description.contains("csat.comment_window"),
                       true)
        XCTAssertEqual(ConfigFixture.error(#"{"csat": {"template": "x"}}"#), .unknownKey("csat.template"))
        XCTAssertEqual(ConfigFixture.error("{}", env: ["CSAT_ENABLED": "perhaps"]),
                       .invalidValue(key: "CSAT_ENABLED", reason: "must be true or false"))
    }
}
