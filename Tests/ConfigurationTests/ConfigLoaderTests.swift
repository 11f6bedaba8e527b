import CRM
import Configuration
import Delivery
import GatewayKit
import GatewayTesting
import XCTest

final class ConfigLoaderTests: XCTestCase {
    private func load(_ json: String, env: [String: String] = [:]) throws(ConfigError) -> GatewayConfig {
        try ConfigFixture.load(json, env: env)
    }

    private func error(_ json: String, env: [String: String] = [:]) -> ConfigError? {
        ConfigFixture.error(json, env: env)
    }

    func testDefaultsAreSafeForLocalUse() throws {
        let config = try ConfigLoader.load(file: nil, environment: [:])
        XCTAssertEqual(config.server.host, "127.0.0.1")
        XCTAssertEqual(config.server.port, 8080)
        XCTAssertEqual(config.server.maxBodyBytes, 1 << 20)
        XCTAssertEqual(config.store.path, "./data/gateway.sqlite")
        XCTAssertEqual(config.store.synchronous, "full")
        XCTAssertNil(config.whatsapp.appSecret)
        XCTAssertTrue(config.botWebhooks.secrets.isEmpty)
        XCTAssertFalse(config.multiBSUIDEnabled)
        XCTAssertNil(config.records.crmRecordURLBase, "links into the CRM only where the deployment says")
        XCTAssertNil(config.records.roomURLBase)
        XCTAssertNil(config.outbound[url: .crm])
    }

    func testExampleConfigLoadsAndMatchesDefaults() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/gateway.example.json").path
        XCTAssertEqual(try ConfigLoader.load(file: path, environment: [:]), GatewayConfig())
    }

    func testFileValuesAndEnvironmentOverrides() throws {
        let secret = WebhookSecret(key: Array(repeating: 7, count: 24)).encoded
        let config = try load(#"{"server":{"port":9000,"max_body_bytes":4096},"store":{"synchronous":"normal"}}"#,
                              env: ["GATEWAY_PORT": "9100", "WHATSAPP_APP_SECRET": "s3cret",
                                    "BOT_WEBHOOK_SECRETS": " \(secret) ,\(secret)", "MULTI_BSUID_ENABLED": "true",
                                    "OMNICHANNEL_EVENTS_URL": "http://127.0.0.1:9/events"])
        XCTAssertEqual(config.server.port, 9100)
        XCTAssertEqual(config.server.maxBodyBytes, 4096)
        XCTAssertEqual(config.store.synchronous, "normal")
        XCTAssertEqual(config.whatsapp.appSecret, "s3cret")
        XCTAssertEqual(config.botWebhooks.secrets, [secret, secret])
        XCTAssertTrue(config.multiBSUIDEnabled)
        XCTAssertEqual(config.outbound[url: .omnichannel], "http://127.0.0.1:9/events")
        let bursts = try load(#"{"normalizer": {"burst_rate": 500, "burst_deferral": "2s"}}"#)
        XCTAssertEqual(bursts.normalizer.burstRatePerSecond, 500)
        XCTAssertEqual(bursts.normalizer.burstDeferralMilliseconds, 2_000)
    }

    func testUnknownKeysAreRefusedByName() {
        XCTAssertEqual(error(#"{"server":{"prot":1}}"#), .unknownKey("server.prot"))
        XCTAssertEqual(error(#"{"srever":{}}"#), .unknownKey("srever"))
    }

    func testBadValuesAreRefusedByName() {
        XCTAssertEqual(error(#"{"server":{"port":"80"}}"#),
                       .invalidValue(key: "server.port", reason: "must be an integer"))
        XCTAssertEqual(error(#"{"server":{"port":70000}}"#),
                       .invalidValue(key: "server.port", reason: "must be between 0 and 65535"))
        XCTAssertEqual(error(#"{"server":3}"#), .invalidValue(key: "server", reason: "must be an object"))
        XCTAssertEqual(error(#"{"store":{"synchronous":"fast"}}"#),
                       .invalidValue(key: "store.synchronous", reason: "must be one of off, normal, full, extra"))
        XCTAssertEqual(error("{}", env: ["GATEWAY_PORT": "eighty"]),
                       .invalidValue(key: "GATEWAY_PORT", reason: "must be an integer"))
        XCTAssertEqual(error("{}", env: ["MULTI_BSUID_ENABLED": "maybe"]),
                       .invalidValue(key: "MULTI_BSUID_ENABLED", reason: "must be true or false"))
        XCTAssertEqual(error("{}", env: ["CHAT_PANEL_URL": "ftp://x"]),
                       .invalidValue(key: "CHAT_PANEL_URL", reason: "must be an http(s) URL"))
        XCTAssertEqual(error(#"{"crm":{"record_url_base":"crm.example.com/crm"}}"#),
                       .invalidValue(key: "crm.record_url_base", reason: "must be an http(s) URL"))
        XCTAssertEqual(error(#"{"omnichannel":{"room_url_base":"ftp://chat.example/rooms"}}"#),
                       .invalidValue(key: "omnichannel.room_url_base", reason: "must be an http(s) URL"))
        XCTAssertEqual(error("{}", env: ["CRM_RECORD_URL_BASE": "mailto:crm@example.com"]),
                       .invalidValue(key: "CRM_RECORD_URL_BASE", reason: "must be an http(s) URL"))
        XCTAssertEqual(error("{}", env: ["OMNICHANNEL_ROOM_URL_BASE": "rooms"]),
                       .invalidValue(key: "OMNICHANNEL_ROOM_URL_BASE", reason: "must be an http(s) URL"))
        XCTAssertEqual(error("{}", env: ["BOT_WEBHOOK_SECRETS": "plain-secret"]),
                       .invalidValue(key: "BOT_WEBHOOK_SECRETS[0]", reason: "must look like whsec_<base64>"))
        XCTAssertEqual(error(#"{"normalizer":{"burst_deferral":"2m"}}"#)?.description.contains("burst_deferral"), true)
        guard case .invalidJSON = error("{nope") else { return XCTFail("expected invalidJSON") }
    }

    func testTLSNeedsBothTheCertificateAndTheKey() throws {
        let both = try load(#"{"server":{"tls_cert":"/etc/gw/cert.pem","tls_key":"/etc/gw/key.pem"}}"#)
        XCTAssertEqual(both.server.tlsCert, "/etc/gw/cert.pem")
        XCTAssertEqual(both.server.tlsKey, "/etc/gw/key.pem")
        XCTAssertTrue(both.server.tlsEnabled)
        XCTAssertEqual(both.server.hstsMaxAgeSeconds, 31_536_000)
        XCTAssertFalse(try load("{}").server.tlsEnabled, "plain HTTP by default")

        let fromEnvironment = try load("{}", env: ["GATEWAY_TLS_CERT": "c.pem", "GATEWAY_TLS_KEY": "k.pem"])
        XCTAssertEqual(fromEnvironment.server.tlsCert, "c.pem")
        XCTAssertEqual(fromEnvironment.server.tlsKey, "k.pem")
        let overridden = try load(#"{"server":{"tls_cert":"file.pem","tls_key":"file.key"}}"#,
                                  env: ["GATEWAY_TLS_CERT": "env.pem"])
        XCTAssertEqual(overridden.server.tlsCert, "env.pem")
        XCTAssertEqual(overridden.server.tlsKey, "file.key")

        XCTAssertEqual(error(#"{"server":{"tls_cert":"/etc/gw/cert.pem"}}"#)?.description.contains("'server.tls_key'"),
                       true)
        XCTAssertEqual(error("{}", env: ["GATEWAY_TLS_KEY": "k.pem"])?.description.contains("'server.tls_cert'"), true)
        XCTAssertEqual(error(#"{"server":{"tls_key":"k.pem"}}"#, env: ["GATEWAY_TLS_CERT": ""])?
                        .description.contains("'server.tls_cert'"), true, "an empty variable is unset")
        XCTAssertEqual(error(#"{"server":{"hsts_max_age_seconds":-1}}"#)?.description.contains("hsts_max_age_seconds"),
                       true)
        XCTAssertTrue(ConfigLoader.redactedSummary(both).contains("tls=on"))
    }

    func testSecretsNeverAppearInErrorsOrSummary() throws {
        let secretValue = "whsec_c2hvcnQta2V5"  // a 9-byte key: too short, refused
        let failure = try XCTUnwrap(error("{}", env: ["BOT_WEBHOOK_SECRETS": secretValue]))
        XCTAssertFalse(failure.description.contains(secretValue))
        XCTAssertFalse(failure.description.contains("c2hvcnQta2V5"))
        var config = GatewayConfig()
        config.whatsapp.appSecret = "very-secret-value"
        config.adminToken = "admin-token-value"
        let summary = ConfigLoader.redactedSummary(config)
        XCTAssertFalse(summary.contains("very-secret-value"))
        XCTAssertFalse(summary.contains("admin-token-value"))
        XCTAssertTrue(summary.contains("whatsapp_app_secret=set"))
    }
}
