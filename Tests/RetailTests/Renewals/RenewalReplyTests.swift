import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPTesting
import Ingress
import XCTest

/// A merchant answers a renewal reminder with RENEW (or PERBAHARUI), over the signed WhatsApp webhook: the cycle is
/// marked `customer_replied` and reminded no more, the message lands on a ticket in the `renewals` queue, and the
/// merchant is told in their language that the renewals team will be in touch.
final class RenewalReplyTests: XCTestCase {
    static let englishAcknowledgement = "Thank you! We have received your renewal request. "
        + "Our renewals team will contact you shortly."
    static let malayAcknowledgement = "Terima kasih! Permintaan pembaharuan anda telah kami terima. "
        + "Pasukan pembaharuan kami akan menghubungi anda tidak lama lagi."

    func testARenewReplyMarksTheCycleOpensARenewalsTicketAndAcknowledgesInTheMerchantsLanguage() throws {
        let cloud = try StubSink { index, _ in CloudAPIReply.accepted("wamid.R\(index)") }
        let gateway = try TestGateway.whatsApp(cloud)
        try gateway.pushOutlet("O1", #"{"fid": "F1", "franchise_name": "Kopi Co", "name": "Kopi Bangsar", "phones": ["+60111000001"], "expiry_date": "2026-03-15", "status": "active"}"#)
        try gateway.pushOutlet("O2", #"{"fid": "F1", "name": "Kopi KLCC", "phones": ["+60111000002"], "expiry_date": "2026-03-16", "status": "active"}"#)
        // The second merchant spoke Malay to us before (opt-out and back in): their reminders go in Malay.
        gateway.moveClock(to: "2026-02-27", "10:00")
        try gateway.customerSays("BERHENTI", phone: "60111000002")
        try gateway.customerSays("MULA", phone: "60111000002")
        gateway.moveClock(to: "2026-03-02", "10:00")
        try gateway.runRenewalsNow()
        gateway.deliverDueMessages()
        XCTAssertEqual(cloud.received.count, 2, "the D-14 reminders")

        gateway.moveClock(to: "2026-03-02", "11:00")
        try gateway.customerSays(" renew ", phone: "60111000001")
        try gateway.customerSays("Perbaharui", phone: "60111000002")

        // The cycles: customer_replied, with the time of the reply, listed and counted as such.
        let replied = try XCTUnwrap(gateway.admin("GET", "/v1/renewals?status=customer_replied").json?["items"]?
            .arrayValue)
        XCTAssertEqual(replied.map { $0["oid"] }, ["O1", "O2"])
        let replyTime = JSONValue.string(Timestamps.rfc3339(TestGateway.millis("2026-03-02", "11:00")))
        XCTAssertEqual(replied.map { $0["replied_at"] }, [replyTime, replyTime])
        XCTAssertEqual(try gateway.admin("GET", "/v1/renewals?status=open").json?["items"], [])
        let summary = try XCTUnwrap(gateway.admin("GET", "/v1/renewals/summary?from=2026-03-01&to=2026-03-31").json)
        XCTAssertEqual(summary["by_status"]?["customer_replied"], 2)
        XCTAssertEqual(summary["replied"], 2)

        // Each reply is on a ticket in the renewals queue.
        let tickets = try gateway.conversationTickets("queue=renewals")
        XCTAssertEqual(tickets.count, 2)
        XCTAssertEqual(try gateway.conversationTickets().count, 2, "no other ticket")
        for ticket in tickets {
            let id = try XCTUnwrap(ticket["id"]?.int64Value)
            let texts = try gateway.ticketList(id, "messages").compactMap { $0["text"]?.stringValue }
            XCTAssertTrue(texts == [" renew "] || texts == ["Perbaharui"], "\(texts)")
        }

        // The acknowledgements: free text inside the 24-hour window, in the language the reminders spoke.
        let requests = cloud.waitForRequests(4)
        let acknowledgements = Dictionary(uniqueKeysWithValues: requests.dropFirst(2).compactMap { request in
            JSONParser.parseText(request.text).flatMap { body in
                body["to"]?.stringValue.map { ($0, body["text"]?["body"]?.stringValue ?? "") }
            }
        })
        XCTAssertEqual(acknowledgements, ["60111000001": Self.englishAcknowledgement,
                                          "60111000002": Self.malayAcknowledgement])
        let firstID = try XCTUnwrap(replied.first?["id"]?.int64Value)
        let sent = try XCTUnwrap(gateway.admin(
            "GET", "/v1/whatsapp/messages?purpose=renewal_reply&reference=\(firstID)").json?["items"]?.arrayValue)
        XCTAssertEqual(sent.map { $0["content_kind"] }, ["text"])

        // No further reminder for the replied cycles.
        gateway.moveClock(to: "2026-03-09", "10:00")
        try gateway.runRenewalsNow()
        XCTAssertEqual(try gateway.rows("SELECT offset_days FROM renewal_attempts ORDER BY id")
            .map { $0["offset_days"] }, ["-14", "-14"])

        // The POS renewal still closes the cycle; the reply stays on record.
        try gateway.pushOutlet("O1", #"{"expiry_date": "2027-03-15"}"#)
        let renewed = try XCTUnwrap(gateway.admin("GET", "/v1/renewals?oid=O1").json?["items"]?.at(0))
        XCTAssertEqual(renewed["status"], "renewed")
        XCTAssertEqual(renewed["replied_at"], replied[0]["replied_at"])
        XCTAssertEqual(renewed["renewed_after_reminder"], true)

        // A second reply, and RENEW from a phone without an open cycle, are ordinary messages.
        try gateway.customerSays("RENEW", phone: "60111000001")
        try gateway.customerSays("RENEW", phone: "60199999999")
        XCTAssertEqual(try gateway.conversationTickets("queue=renewals").count, 2)
        XCTAssertEqual(try gateway.conversationTickets("queue=support").count, 1)
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages", "purpose = 'renewal_reply'"), 2)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_renewal_replies_total", [("acknowledgement", "sent")]), 2)
    }
}
