import Configuration
import Delivery
import Foundation
import GatewayTestSupport
import GatewayKit
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import Storage
import XCTest

/// The gateway on PostgreSQL (`store.driver = postgres`): `gateway migrate` applies the migration list to the server,
/// and `/readyz` asks the server, saying why it is not ready when the server is gone — without the connection
/// string's password anywhere.
final class PostgresStoreTests: XCTestCase {
    private static let password = "s3cret-pw"

    func testReadyzProbesTheServerAndSaysWhyWhenItStops() throws {
        let cluster = try PostgresCluster()
        defer { cluster.stop() }
        let url = try cluster.createDatabase("readyz") + " password=\(Self.password)"
        let gateway = try TestGateway(engine: .sqlite) {
            $0.store.driver = "postgres"
            $0.store.databaseURL = url
            $0.store.readinessTimeoutMilliseconds = 1_000
        }
        XCTAssertTrue(gateway.app.store is PostgresGatewayStore)
        let ready = try gateway.request("GET", "/readyz")
        XCTAssertEqual(ready.status, 200, ready.text)

        cluster.stop()
        let started = Date()
        let notReady = try gateway.request("GET", "/readyz")
        XCTAssertEqual(notReady.status, 503, notReady.text)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the probe gives up after its timeout")
        XCTAssertEqual(notReady.header(named: "Content-Type"), "application/problem+json")
        let detail = notReady.json?["detail"]?.stringValue ?? ""
        XCTAssertTrue(detail.contains("the database does not answer"), detail)
        XCTAssertFalse(notReady.text.contains(Self.password), notReady.text)
    }

    func testGatewayMigrateAppliesTheListToPostgresOnce() throws {
        let cluster = try PostgresCluster.shared()
        let url = try cluster.createDatabase("migrate_" + UUID().uuidString.prefix(8).lowercased())
        let environment = [
            "GATEWAY_STORE_DRIVER": "postgres", "GATEWAY_DATABASE_URL": url + " password=\(Self.password)",
        ]
        let (first, out, err) = try GatewayProcess.run(["migrate"], environment: environment)
        XCTAssertEqual(first, 0, err)
        XCTAssertTrue(out.contains("applied migrations: 1, 2, 3"), out)
        let (second, again, _) = try GatewayProcess.run(["migrate"], environment: environment)
        XCTAssertEqual(second, 0)
        XCTAssertTrue(again.contains("up to date"), again)

        let database = try PostgresDatabase(url, poolSize: 1)
        defer { database.close() }
        XCTAssertEqual(try PostgresMigrator.appliedVersions(database, ledger: PostgresGatewayStore.inboxLogLedger), [1, 2, 3])
        XCTAssertGreaterThan(try PostgresMigrator.appliedVersions(database).count, 50)
    }

    func testAnUnreachableServerFailsMigrateWithoutThePassword() throws {
        let url = "host=127.0.0.1 port=1 user=gateway password=\(Self.password) dbname=gateway connect_timeout=2"
        let (code, out, err) = try GatewayProcess.run(["migrate"], environment: [
            "GATEWAY_STORE_DRIVER": "postgres", "GATEWAY_DATABASE_URL": url,
        ])
        XCTAssertEqual(code, 1)
        XCTAssertTrue(err.contains("migration failed"), err)
        XCTAssertFalse((out + err).contains(Self.password), err)
        let (malformed, _, malformedErr) = try GatewayProcess.run(["migrate"], environment: [
            "GATEWAY_STORE_DRIVER": "postgres", "GATEWAY_DATABASE_URL": "host=x password=\(Self.password) oops",
        ])
        XCTAssertEqual(malformed, 1)
        XCTAssertFalse(malformedErr.contains(Self.password), malformedErr)
    }
}
