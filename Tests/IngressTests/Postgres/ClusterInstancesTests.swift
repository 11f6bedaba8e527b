import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Ingress
import XCTest

/// Two gateway instances on one PostgreSQL database, in one process: one of them leads (daily jobs, the inbox's
/// normalization) and the other takes over when it stops; both count each other (and no instance of another database
/// on the same server); their dispatchers share the outbox
/// so every event is delivered once, whichever instance enqueued it.
final class ClusterInstancesTests: XCTestCase {
    func testTwoInstancesShareTheOutboxAndOneLeadsUntilItStops() throws {
        let url = try PostgresCluster.shared().createDatabase("cluster_" + UUID().uuidString.prefix(8).lowercased())
        let sink = try StubSink()
        defer { sink.stop() }
        func instance() throws -> TestGateway {
            try TestGateway(engine: .sqlite) { config in
                config.store.driver = "postgres"
                config.store.databaseURL = url
                config.store.poolSize = 4
                config.outbound[url: .omnichannel] = sink.url + "/events"
                config.outbound.pollIntervalMilliseconds = 50
            }
        }
        let first = try instance()
        let second = try instance()
        defer {
            first.shutdown()
            second.shutdown()
        }
        let leads = { (gateway: TestGateway) in gateway.app.cluster.leadership?.isLeader == true }
        eventually("one instance leads") { leads(first) != leads(second) }
        eventually("each counts two instances", timeout: 10) {
            first.app.cluster.liveInstances == 2 && second.app.cluster.liveInstances == 2
        }
        // Another deployment on the same server, on a database of its own, is none of them: after a recount (every
        // 2 s) each side still counts only its own instances.
        let other = try TestGateway(engine: .postgres)
        defer { other.shutdown() }
        Thread.sleep(forTimeInterval: 2.5)
        XCTAssertEqual([first, second, other].map(\.app.cluster.liveInstances), [2, 2, 1])

        XCTAssertEqual(try first.admin("POST", "/v1/endpoints/omnichannel/test-events", body: #"{"count": 60}"#).status,
                       202)
        XCTAssertEqual(try second.admin("POST", "/v1/endpoints/omnichannel/test-events", body: #"{"count": 60}"#).status,
                       202)
        eventually("all delivered", timeout: 30) { sink.received.count >= 120 }
        Thread.sleep(forTimeInterval: 0.5)
        let ids = sink.received.compactMap(\.webhookID)
        XCTAssertEqual(ids.count, 120, "each event once")
        XCTAssertEqual(Set(ids).count, 120)

        let (leader, follower) = leads(first) ? (first, second) : (second, first)
        leader.shutdown()
        eventually("the other instance takes over", timeout: 10) { leads(follower) }
        eventually("and counts itself alone", timeout: 10) { follower.app.cluster.liveInstances == 1 }
    }
}
