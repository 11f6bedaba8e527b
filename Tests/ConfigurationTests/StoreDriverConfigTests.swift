import Configuration
import Delivery
import GatewayKit
import GatewayTesting
import XCTest

/// `store.driver` picks the engine; the PostgreSQL one needs `store.database_url`, which may hold a password and so is
/// never echoed: not by a refusal, not by the start-up summary.
final class StoreDriverConfigTests: XCTestCase {
    private let url = "postgresql://gateway:s3cret-pw@db.internal:5432/gateway"

    func testSQLiteIsTheDefaultAndPostgresIsChosenByFileOrEnvironment() throws {
        let defaults = try ConfigFixture.load("{}")
        XCTAssertEqual(defaults.store.driver, "sqlite")
        XCTAssertFalse(defaults.store.usesPostgres)
        XCTAssertEqual(defaults.store.poolSize, 16)
        XCTAssertEqual(defaults.store.readinessTimeoutMilliseconds, 2_000)

        let file = try ConfigFixture.load("""
            {"store": {"driver": "postgres", "database_url": "\(url)", "pool_size": 4, "readiness_timeout": "500ms"}}
            """)
        XCTAssertTrue(file.store.usesPostgres)
        XCTAssertEqual(file.store.databaseURL, url)
        XCTAssertEqual(file.store.poolSize, 4)
        XCTAssertEqual(file.store.readinessTimeoutMilliseconds, 500)

        let env = try ConfigFixture.load("{}", env: ["GATEWAY_STORE_DRIVER": "postgres", "GATEWAY_DATABASE_URL": url])
        XCTAssertTrue(env.store.usesPostgres)
        XCTAssertEqual(env.store.databaseURL, url)
    }

    func testRefusalsNameTheKeyAndNeverTheURL() {
        let cases: [(json: String, env: [String: String], key: String)] = [
            (#"{"store": {"driver": "mysql"}}"#, [:], "store.driver"),
            ("{}", ["GATEWAY_STORE_DRIVER": "Postgres"], "GATEWAY_STORE_DRIVER"),
            (#"{"store": {"driver": "postgres"}}"#, [:], "store.database_url"),
            ("{}", ["GATEWAY_STORE_DRIVER": "postgres", "GATEWAY_DATABASE_URL": "  "], "store.database_url"),
            (#"{"store": {"driver": "postgres", "database_url": "\#(url)", "pool_size": 0}}"#, [:], "store.pool_size"),
            (#"{"store": {"database_url": 5}}"#, [:], "store.database_url"),
        ]
        for (json, env, key) in cases {
            guard case .invalidValue(let named, let reason)? = ConfigFixture.error(json, env: env) else {
                XCTFail("\(json) \(env) was accepted")
                continue
            }
            XCTAssertEqual(named, key, "\(json) \(env): \(reason)")
            XCTAssertFalse(reason.contains("s3cret"), reason)
        }
    }

    func testTheStartUpSummarySaysOnlyWhetherTheURLIsSet() throws {
        let config = try ConfigFixture.load("{}", env: [
            "GATEWAY_STORE_DRIVER": "postgres", "GATEWAY_DATABASE_URL": url,
        ])
        let summary = ConfigLoader.redactedSummary(config)
        XCTAssertTrue(summary.contains("store=postgres"), summary)
        XCTAssertTrue(summary.contains("database_url=set"), summary)
        XCTAssertFalse(summary.contains("s3cret") || summary.contains("db.internal"), summary)
        XCTAssertTrue(ConfigLoader.redactedSummary(try ConfigFixture.load("{}")).contains("store=sqlite"))
    }
}
