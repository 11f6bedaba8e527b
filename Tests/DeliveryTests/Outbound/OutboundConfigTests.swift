import Configuration
import Delivery
import GatewayKit
import GatewayTesting
import XCTest

/// The `outbound` config section and how endpoints are resolved from it and from the older per-system settings.
final class OutboundConfigTests: XCTestCase {
    func testDefaultsMatchTheIssue() throws {
        let outbound = try ConfigLoader.load(file: nil, environment: [:]).outbound
        XCTAssertEqual(outbound.connectTimeoutMilliseconds, 5_000)
        XCTAssertEqual(outbound.totalTimeoutMilliseconds, 15_000)
        XCTAssertEqual(outbound.retryScheduleMilliseconds.map { DurationText.format(milliseconds: $0) },
                       ["5s", "30s", "2m", "10m", "30m", "1h", "3h", "6h"])
        XCTAssertEqual(outbound.endpoints["whatsapp"]?.ratePerSecond, 80)
        XCTAssertNil(outbound.signingSecret)
    }

    func testFileValuesMergeIntoEndpointDefaults() throws {
        let secret = WebhookSecret(key: Array(repeating: 9, count: 24)).encoded
        let config = try ConfigFixture.load("""
            {"outbound": {"total_timeout": "2s", "retry_schedule": ["250ms", "1m"], "breaker_cool_down": "1m",
                          "lease": "10s",
                          "endpoints": {"whatsapp": {"max_concurrency": 4},
                                        "crm-sync": {"url": "http://127.0.0.1:9/sync", "signing_secret": "\(secret)",
                                                     "bearer_token": "t0k", "rate_per_second": 5,
                                                     "total_timeout": "1s"}}}}
            """)
        let outbound = config.outbound
        XCTAssertEqual(outbound.totalTimeoutMilliseconds, 2_000)
        XCTAssertEqual(outbound.retryScheduleMilliseconds, [250, 60_000])
        XCTAssertEqual(outbound.breakerCoolDownMilliseconds, 60_000)
        XCTAssertEqual(outbound.endpoints["whatsapp"], OutboundEndpointSettings(maxConcurrency: 4, ratePerSecond: 80))
        XCTAssertEqual(outbound.endpoints["crm-sync"]?.url, "http://127.0.0.1:9/sync")

        let endpoints = Dictionary(uniqueKeysWithValues: OutboundEndpoint.all(from: config).map { ($0.name, $0) })
        XCTAssertEqual(endpoints.keys.sorted(), ["chat_panel", "crm", "crm-sync", "events", "omnichannel", "whatsapp"])
        let crm = try XCTUnwrap(endpoints["crm-sync"])
        XCTAssertEqual(crm.signingSecret?.encoded, secret)
        XCTAssertEqual(crm.bearerToken, "t0k")
        XCTAssertEqual(crm.ratePerSecond, 5)
        XCTAssertEqual(crm.totalTimeoutMilliseconds, 1_000)
        XCTAssertEqual(crm.connectTimeoutMilliseconds, 5_000)
        XCTAssertEqual(endpoints["whatsapp"]?.maxConcurrency, 4)
        XCTAssertEqual(endpoints["whatsapp"]?.totalTimeoutMilliseconds, 2_000)
    }

    func testBuiltInEndpointsTakeTheirURLsAndTokenFromTheExistingSettings() throws {
        let config = try ConfigLoader.load(file: nil, environment: [
            "OMNICHANNEL_EVENTS_URL": "http://127.0.0.1:9/events", "CRM_EVENTS_URL": "http://127.0.0.1:9/crm",
            "WHATSAPP_API_URL": "http://127.0.0.1:9/graph",
            "WHATSAPP_ACCESS_TOKEN": "wa-token", "OUTBOUND_SIGNING_SECRET": WebhookSecret(key: Array(repeating: 3, count: 32)).encoded,
        ])
        let endpoints = Dictionary(uniqueKeysWithValues: OutboundEndpoint.all(from: config).map { ($0.name, $0) })
        XCTAssertEqual(endpoints["omnichannel"]?.url, "http://127.0.0.1:9/events")
        XCTAssertNotNil(endpoints["omnichannel"]?.signingSecret, "the default secret signs endpoints without their own")
        XCTAssertEqual(endpoints["crm"]?.url, "http://127.0.0.1:9/crm")
        XCTAssertNotNil(endpoints["crm"]?.signingSecret)
        XCTAssertEqual(endpoints["whatsapp"]?.url, "http://127.0.0.1:9/graph")
        XCTAssertEqual(endpoints["whatsapp"]?.bearerToken, "wa-token")
        XCTAssertEqual(endpoints["whatsapp"]?.ratePerSecond, 80)
        XCTAssertNil(endpoints["chat_panel"]?.url)
        XCTAssertTrue(endpoints["chat_panel"]?.missingURLReason.contains("CHAT_PANEL_URL") ?? false)
    }

    func testTheCRMEndpointTakesItsURLFromTheCRMSection() throws {
        let fromFile = try ConfigFixture.load(#"{"crm": {"events_url": "https://crm.test/events"}}"#)
        XCTAssertEqual(fromFile.outbound[url: .crm], "https://crm.test/events")
        let unset = Dictionary(uniqueKeysWithValues: OutboundEndpoint.all(from: GatewayConfig()).map { ($0.name, $0) })
        XCTAssertNil(unset["crm"]?.url)
        XCTAssertTrue(unset["crm"]?.missingURLReason.contains("CRM_EVENTS_URL") ?? false)
        XCTAssertEqual(ConfigFixture.error(#"{"crm": {"events_url": "ftp://crm.test"}}"#),
                       .invalidValue(key: "crm.events_url", reason: "must be an http(s) URL"))
        XCTAssertEqual(ConfigFixture.error("{}", env: ["CRM_EVENTS_URL": "crm.test/events"]),
                       .invalidValue(key: "CRM_EVENTS_URL", reason: "must be an http(s) URL"))
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"endpoints":{"crm":{"url":"http://127.0.0.1:1"}}}}"#)?
            .description.contains("crm.events_url"), true)
    }

    func testEveryBuiltInEndpointTakesItsURLFromItsOwnKeyInTheFileOrTheEnvironment() throws {
        for endpoint in BuiltInEndpoint.withURLSetting {
            let url = "https://\(endpoint.rawValue).test/in"
            let fromEnvironment = try ConfigFixture.load("{}", env: [endpoint.urlSetting.env: url])
            XCTAssertEqual(OutboundEndpoint.all(from: fromEnvironment).first { $0.name == endpoint.name }?.url, url,
                           endpoint.urlSetting.env)
            let json = endpoint.urlSetting.path.split(separator: ".").reversed()
                .reduce("\"\(url)\"") { "{\"\($1)\": \($0)}" }
            XCTAssertEqual(try ConfigFixture.load(json).outbound[url: endpoint], url, endpoint.urlSetting.path)
        }
        let tuned = try ConfigFixture.load(#"{"omnichannel": {"events_url": "https://o.test/e"},"#
                                           + #" "outbound": {"endpoints": {"omnichannel": {"max_concurrency": 3}}}}"#)
        let omnichannel = OutboundEndpoint.all(from: tuned).first { $0.name == BuiltInEndpoint.omnichannel.name }
        XCTAssertEqual(omnichannel?.url, "https://o.test/e", "tuning a built-in keeps the URL from its own key")
        XCTAssertEqual(omnichannel?.maxConcurrency, 3)
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"endpoints":{"chat_panel":{"url":"http://127.0.0.1:1"}}}}"#),
                       .invalidValue(key: "outbound.endpoints.chat_panel.url",
                                     reason: "a built-in endpoint takes its URL from its own key: chat_panel.url or "
                                        + "CHAT_PANEL_URL"))
    }

    func testBadOutboundValuesAreRefusedByName() {
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"total_timeout":15}}"#),
                       .invalidValue(key: "outbound.total_timeout", reason: "must be a duration string such as \"5s\""))
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"connect_timeout":"fast"}}"#),
                       .invalidValue(key: "outbound.connect_timeout",
                                     reason: "must be a duration such as 250ms, 5s, 2m, 1h or 7d"))
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"retry_schedule":[]}}"#),
                       .invalidValue(key: "outbound.retry_schedule", reason: "must be a non-empty array of duration strings"))
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"retry_schedule":["5s",3]}}"#),
                       .invalidValue(key: "outbound.retry_schedule[1]", reason: "must be a duration string such as \"5s\""))
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"endpoints":{"omnichannel":{"url":"http://127.0.0.1:1"}}}}"#)?.description
                       .contains("omnichannel.events_url"), true)
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"endpoints":{"billing":{"urll":"http://x"}}}}"#),
                       .unknownKey("outbound.endpoints.billing.urll"))
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"endpoints":{"Bad Name":{}}}}"#)?.description.contains("outbound.endpoints.Bad Name"), true)
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"endpoints":{"billing":{"url":"ftp://x"}}}}"#),
                       .invalidValue(key: "outbound.endpoints.billing.url", reason: "must be an http(s) URL"))
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"endpoints":{"crm":{"max_concurrency":0}}}}"#),
                       .invalidValue(key: "outbound.endpoints.crm.max_concurrency", reason: "must be between 1 and 10000"))
        XCTAssertEqual(ConfigFixture.error(#"{"outbound":{"lease":"10s","endpoints":{"billing":{"total_timeout":"30s"}}}}"#),
                       .invalidValue(key: "outbound.lease", reason: "must be longer than the longest total_timeout (30s)"))
        XCTAssertEqual(ConfigFixture.error("{}", env: ["OUTBOUND_SIGNING_SECRET": "not-a-secret"]),
                       .invalidValue(key: "OUTBOUND_SIGNING_SECRET", reason: "must look like whsec_<base64>"))
    }

    func testSigningSecretsStayOutOfTheSummary() throws {
        var config = GatewayConfig()
        config.outbound.signingSecret = WebhookSecret(key: Array(repeating: 5, count: 32)).encoded
        let summary = ConfigLoader.redactedSummary(config)
        XCTAssertFalse(summary.contains(config.outbound.signingSecret!))
        XCTAssertTrue(summary.contains("outbound_signing_secret=set"))
    }
}
