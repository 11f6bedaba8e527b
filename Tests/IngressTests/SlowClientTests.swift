import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPTesting
import Ingress
import XCTest

/// The server's slow-client settings: how they load, and what they do to a running gateway — a client that trickles
/// its head is disconnected at the deadline, and one address holding its share of connections does not keep a probe
/// from another address out.
final class SlowClientTests: XCTestCase {
    func testServerLimitsHaveDefaultsAndLoadFromTheFile() throws {
        let defaults = try ConfigLoader.load(file: nil, environment: [:]).server
        XCTAssertEqual(defaults.headerTimeoutSeconds, 10)
        XCTAssertEqual(defaults.bodyTimeoutSeconds, 30)
        XCTAssertEqual(defaults.perIPConnectionLimit, 256)
        XCTAssertLessThan(defaults.perIPConnectionLimit, defaults.connectionLimit)

        let server = try ConfigFixture.load(#"{"server":{"header_timeout_seconds":5,"body_timeout_seconds":60,"#
                                            + #""per_ip_connection_limit":0}}"#).server
        XCTAssertEqual(server.headerTimeoutSeconds, 5)
        XCTAssertEqual(server.bodyTimeoutSeconds, 60)
        XCTAssertEqual(server.perIPConnectionLimit, 0, "0 turns the per-address limit off")
    }

    func testBadServerLimitsAreRefusedByName() {
        XCTAssertEqual(ConfigFixture.error(#"{"server":{"header_timeout_seconds":0}}"#),
                       .invalidValue(key: "server.header_timeout_seconds", reason: "must be between 1 and 3600"))
        XCTAssertEqual(ConfigFixture.error(#"{"server":{"body_timeout_seconds":"30s"}}"#),
                       .invalidValue(key: "server.body_timeout_seconds", reason: "must be an integer"))
        XCTAssertEqual(ConfigFixture.error(#"{"server":{"connection_limit":100,"per_ip_connection_limit":100}}"#),
                       .invalidValue(key: "server.per_ip_connection_limit",
                                     reason: "must be below server.connection_limit (100) so other clients still get "
                                             + "in; 0 = no limit"))
    }

    func testTricklingClientsAreCutWhileAnotherAddressIsServed() throws {
        let gateway = try TestGateway {
            $0.server.headerTimeoutSeconds = 1
            $0.server.perIPConnectionLimit = 2
        }
        let port = gateway.app.port
        let start = Date()
        // Two clients from 127.0.0.1 trickle a head that never ends; one sends a byte every 200 ms.
        let quiet = try TestSocket(port: port)
        quiet.offer("GET /healthz HTTP/1.1\r\n")
        let trickling = try TestSocket(port: port)
        let trickled = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            for byte in Array("GET /healthz HTTP/1.1\r\nX-Pad: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 30) {
                guard trickling.offer([byte]) else { break }
                Thread.sleep(forTimeInterval: 0.2)
            }
            trickled.signal()
        }
        Thread.sleep(forTimeInterval: 0.2)

        // A third connection from that address is closed unanswered; probes from other addresses are served.
        let third = try TestSocket(port: port)
        third.offer("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertNil(third.awaitResponse(timeout: 2), "a third connection from one address was served")
        for (source, path) in [("127.0.0.2", "/healthz"), ("127.0.0.3", "/metrics")] {
            let probe = try TestSocket(port: port, source: source)
            probe.offer("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
            XCTAssertEqual(probe.awaitResponse()?.status, 200, path)
        }

        // Both slow clients are disconnected shortly after the 1 s head deadline, trickle or not.
        for connection in [quiet, trickling] {
            let cutAfter = try XCTUnwrap(connection.waitForClose(from: start, timeout: 5), "a slow client stayed")
            XCTAssertGreaterThan(cutAfter, 0.9)
            XCTAssertLessThan(cutAfter, 4)
        }
        XCTAssertEqual(trickled.wait(timeout: .now() + 10), .success)
    }
}
