import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import Ingress
import Storage
import XCTest

/// `/readyz` says what the write path can do, not only whether a tiny probe still fits: after a write the storage
/// refused (a full disk) it answers 503 for `store.readiness_failure_window`, and also while the disk has less free
/// space than `store.readiness_min_free_mib`.
final class ReadinessTests: XCTestCase {
    func testAWebhookTheFullDiskRefusedMakesTheGatewayNotReadyUntilTheWindowPasses() throws {
        let gateway = try TestGateway { $0.store.readinessFailureWindowMilliseconds = 1_500 }
        XCTAssertEqual(try gateway.request("GET", "/readyz").status, 200, "the probe row exists from now on")
        let store = try gateway.sqliteStore()
        // Cap the inbox log's file at its size: its probe writes nothing, a delivery needs pages it cannot get.
        try store.log.writer.perform { connection in
            try connection.execute("CREATE TABLE filler (b BLOB)")
            while try connection.queryOne("PRAGMA freelist_count")?.int("freelist_count") != 0 {
                try connection.run("INSERT INTO filler (b) VALUES (zeroblob(3000))")
            }
            try connection.execute("PRAGMA max_page_count = 1")
        }
        XCTAssertEqual(try gateway.postWhatsApp(Array(WhatsAppFixtures.mixedBatch.utf8)).status, 503)
        let notReady = try gateway.request("GET", "/readyz")
        XCTAssertEqual(notReady.status, 503, notReady.text)
        XCTAssertEqual(notReady.header(named: "Content-Type"), "application/problem+json")
        XCTAssertTrue(notReady.json?["detail"]?.stringValue?.contains("a write failed") == true, notReady.text)

        try store.log.writer.perform { connection in try connection.execute("PRAGMA max_page_count = 1073741823") }
        eventually("ready again once the window has passed", timeout: 10) {
            try gateway.request("GET", "/readyz").status == 200
        }
        XCTAssertEqual(try gateway.postWhatsApp(Array(WhatsAppFixtures.mixedBatch.utf8)).status, 200)
    }

    func testADiskWithLessFreeSpaceThanConfiguredIsNotReady() throws {
        let short = try TestGateway(engine: .sqlite) { $0.store.readinessMinFreeMiB = 1_048_576 }  // 1 TiB free
        let answer = try short.request("GET", "/readyz")
        XCTAssertEqual(answer.status, 503, answer.text)
        XCTAssertTrue(answer.json?["detail"]?.stringValue?.contains("store.readiness_min_free_mib") == true,
                      answer.text)
        let relaxed = try TestGateway(engine: .sqlite) { $0.store.readinessMinFreeMiB = 0 }
        XCTAssertEqual(try relaxed.request("GET", "/readyz").status, 200)
    }

    func testReadinessSettingsLoadAndABadValueNamesTheKey() throws {
        let config = try ConfigFixture.load(#"{"store": {"readiness_failure_window": "2m", "readiness_min_free_mib": 512}}"#)
        XCTAssertEqual(config.store.readinessFailureWindowMilliseconds, 120_000)
        XCTAssertEqual(config.store.readinessMinFreeMiB, 512)
        guard case .invalidValue(let key, _)? = ConfigFixture.error(#"{"store": {"readiness_min_free_mib": -1}}"#) else {
            return XCTFail("a negative free space was accepted")
        }
        XCTAssertEqual(key, "store.readiness_min_free_mib")
    }
}
