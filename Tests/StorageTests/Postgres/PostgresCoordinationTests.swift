import Foundation
import HTTPTesting
import Storage
import XCTest

/// What instances sharing one PostgreSQL database coordinate with, against a real server: one leader by advisory
/// lock, taken over when the leader stops or its session dies; notifications that arrive exactly when their
/// transaction commits, and a listener that comes back after losing its session.
final class PostgresCoordinationTests: XCTestCase {
    private var connectionString = ""
    private var database: PostgresDatabase!

    override func setUpWithError() throws {
        connectionString = try PostgresCluster.shared().createDatabase("t_" + UUID().uuidString.prefix(8).lowercased())
        database = try PostgresDatabase(connectionString, poolSize: 2)
    }

    override func tearDown() {
        database?.close()
    }

    /// Ends every session of `application` as a crash or a network loss would.
    private func terminate(_ application: String) throws {
        try database.write { c in
            _ = try c.query("SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = ?",
                            [.text(application)])
        }
    }

    private func waitUntil(_ timeout: TimeInterval = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    func testOneOfTwoInstancesLeadsAndTheOtherTakesOverWhenItStopsOrItsSessionDies() throws {
        let a = PostgresLeader(connectionString: connectionString + " application_name=leader_a", key: 42,
                               checkInterval: 0.1)
        let b = PostgresLeader(connectionString: connectionString + " application_name=leader_b", key: 42,
                               checkInterval: 0.1)
        defer { a.stop(); b.stop() }
        a.start()
        b.start()
        XCTAssertTrue(waitUntil { a.isLeader != b.isLeader }, "exactly one leads")
        for _ in 0..<10 {
            XCTAssertFalse(a.isLeader && b.isLeader, "never both")
            usleep(30_000)
        }
        let (leader, follower, leaderName) = a.isLeader ? (a, b, "leader_a") : (b, a, "leader_b")

        // The leader's session dies (a crash, a lost connection): it stops leading, the other takes over.
        try terminate(leaderName)
        XCTAssertTrue(waitUntil { follower.isLeader }, "the follower takes over")
        XCTAssertTrue(waitUntil { !leader.isLeader }, "the old leader finds its session gone within a check")

        // The new leader stops cleanly: the lock is released at once and the first one leads again.
        follower.stop()
        XCTAssertFalse(follower.isLeader)
        XCTAssertTrue(waitUntil { leader.isLeader })
    }

    func testALockOfAnotherNumberIsAnotherElection() throws {
        let a = PostgresLeader(connectionString: connectionString, key: 1, checkInterval: 0.1)
        let b = PostgresLeader(connectionString: connectionString, key: 2, checkInterval: 0.1)
        defer { a.stop(); b.stop() }
        a.start()
        b.start()
        XCTAssertTrue(a.isLeader && b.isLeader)
    }

    func testNotificationsArriveWhenTheirTransactionCommitsAndNotAfterARollback() throws {
        let heard = Heard()
        let listener = PostgresListener(connectionString: connectionString, channels: ["gateway_outbox"],
                                        heard: { heard.add("\($0):\($1)") })
        defer { listener.stop() }
        listener.start()
        XCTAssertTrue(waitUntil { listener.isListening })

        struct Undo: Error {}
        XCTAssertThrowsError(try database.write { c in
            _ = try c.query("SELECT pg_notify(?, ?) AS sent", [.text("gateway_outbox"), .text("rolled back")])
            throw Undo()
        })
        try database.write { c in
            _ = try c.query("SELECT pg_notify(?, ?) AS sent", [.text("gateway_outbox"), .text("committed")])
            _ = try c.query("SELECT pg_notify(?, ?) AS sent", [.text("elsewhere"), .text("not listened to")])
        }
        XCTAssertTrue(waitUntil { heard.all.count == 1 })
        usleep(200_000)
        XCTAssertEqual(heard.all, ["gateway_outbox:committed"])
    }

    func testAListenerThatLostItsSessionReconnectsAndSaysSo() throws {
        let heard = Heard()
        let reconnects = Heard()
        let listener = PostgresListener(connectionString: connectionString + " application_name=listener",
                                        channels: ["gateway_outbox"], retryInterval: 0.1,
                                        heard: { heard.add($1) }, reconnected: { reconnects.add("again") })
        defer { listener.stop() }
        listener.start()
        XCTAssertTrue(waitUntil { listener.isListening })
        try terminate("listener")
        XCTAssertTrue(waitUntil { reconnects.all.count == 1 && listener.isListening }, "back, and it says so")
        try database.write { c in _ = try c.query("SELECT pg_notify('gateway_outbox', 'after') AS sent") }
        XCTAssertTrue(waitUntil { heard.all == ["after"] })
    }
}

/// Strings gathered from another thread.
private final class Heard: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []
    func add(_ value: String) { lock.withLock { values.append(value) } }
    var all: [String] { lock.withLock { values } }
}
