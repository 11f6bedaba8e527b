import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import XCTest

/// With `smtp.url` set, each booking, reschedule and cancellation e-mails the invite to its owner through libcurl's
/// SMTP support (here to a stand-in server on 127.0.0.1): the same UID with the next SEQUENCE each time.
final class OnboardingInviteMailTests: XCTestCase {
    func testEachChangeMailsTheOwnerTheInviteWithTheNextSequence() throws {
        let smtp = try SMTPStub()
        let cloud = try StubSink { index, _ in CloudAPIReply.accepted("wamid.M\(index)") }
        let gateway = try TestGateway.whatsApp(cloud) { config in
            config.smtp.url = "smtp://127.0.0.1:\(smtp.port)"
            config.smtp.from = "onboarding@gateway.example"
        }
        defer { gateway.shutdown() }
        let ticketID = try gateway.openTicket("How much is the POS package?")
        let path = "/v1/tickets/\(ticketID)/onboarding"
        XCTAssertEqual(try gateway.admin("POST", path, body: #"{"slot": "2025-06-17T10:00:00+08:00", "owner": "mei@ms.example"}"#).status, 201)
        eventually("the invite is mailed") { smtp.received.count == 1 }
        XCTAssertEqual(try gateway.admin("PATCH", path, body: #"{"slot": "2025-06-17T11:00:00+08:00"}"#).status, 200)
        eventually("the moved invite is mailed") { smtp.received.count == 2 }
        XCTAssertEqual(try gateway.admin("DELETE", path).status, 200)
        eventually("the cancellation is mailed") { smtp.received.count == 3 }

        let mails = smtp.received
        XCTAssertEqual(mails.map(\.from), Array(repeating: "<onboarding@gateway.example>", count: 3))
        XCTAssertEqual(mails.map(\.recipients), Array(repeating: ["<mei@ms.example>"], count: 3))
        let invites = try mails.map { try XCTUnwrap(Self.attachment(of: $0.data)) }
        let uid = try XCTUnwrap(invites[0].components(separatedBy: "\r\n").first { $0.hasPrefix("UID:") })
        XCTAssertTrue(invites.allSatisfy { $0.contains(uid + "\r\n") })
        XCTAssertEqual(invites.map { $0.contains("SEQUENCE:0\r\n") }, [true, false, false])
        XCTAssertTrue(invites[1].contains("SEQUENCE:1\r\nDTSTAMP:"))
        XCTAssertTrue(invites[2].contains("SEQUENCE:2\r\n") && invites[2].contains("METHOD:CANCEL\r\n"))
        XCTAssertTrue(mails[2].data.contains("Subject: Cancelled: Onboarding"), mails[2].data)
        XCTAssertTrue(mails[0].data.contains("Content-Type: text/calendar; charset=utf-8; method=REQUEST"))
        // Counted once the SMTP exchange ends, which can be just after the stand-in server has the message.
        let sent = { gateway.app.metrics.counter("gateway_onboarding_invite_mails_total", [("outcome", "sent")]) }
        eventually("the three mails are counted") { sent() >= 3 }
        XCTAssertEqual(sent(), 3)
    }

    /// The base64 body of the message's calendar part, decoded.
    static func attachment(of data: String) -> String? {
        guard let start = data.range(of: "Content-Transfer-Encoding: base64\r\n\r\n",
                                     range: (data.range(of: "text/calendar")?.upperBound ?? data.endIndex)..<data.endIndex)
        else { return nil }
        let encoded = data[start.upperBound...].prefix { $0 != "-" }.replacingOccurrences(of: "\r\n", with: "")
        return Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) }
    }
}
