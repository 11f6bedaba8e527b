import Foundation
import GatewayKit
import XCTest

final class ServiceGroupTests: XCTestCase {
    private final class Journal: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String] = []
        func add(_ entry: String) { lock.withLock { entries.append(entry) } }
        var all: [String] { lock.withLock { entries } }
    }

    private struct StartFailure: Error {}

    private final class Recorder: Service, @unchecked Sendable {
        let name: String
        let journal: Journal
        let fails: Bool
        init(_ name: String, _ journal: Journal, fails: Bool = false) {
            self.name = name
            self.journal = journal
            self.fails = fails
        }
        func start() throws {
            if fails { throw StartFailure() }
            journal.add("start \(name)")
        }
        func stop() { journal.add("stop \(name)") }
    }

    func testStartsInOrderAndStopsInReverseOnce() throws {
        let journal = Journal()
        let group = ServiceGroup(["a", "b", "server"].map { Recorder($0, journal) })
        try group.start()
        try group.start()
        group.stop()
        group.stop()
        XCTAssertEqual(journal.all, ["start a", "start b", "start server", "stop server", "stop b", "stop a"])
    }

    func testAServiceThatFailsToStartStopsTheOnesAlreadyStarted() {
        let journal = Journal()
        let group = ServiceGroup([Recorder("a", journal), Recorder("b", journal), Recorder("server", journal, fails: true),
                                  Recorder("never", journal)])
        XCTAssertThrowsError(try group.start()) { XCTAssertTrue($0 is StartFailure) }
        group.stop()
        XCTAssertEqual(journal.all, ["start a", "start b", "stop b", "stop a"])
    }
}
