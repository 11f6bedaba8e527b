import CRM
@testable import Conversations
import Delivery
import Foundation
@testable import GatewayKit
import GatewayTestSupport
import HTTPTesting
import Ingress
import Storage
import XCTest

/// One survey per resolution, whatever calls the observer again for it; names Meta would refuse are folded.
final class CSATSurveyReplayTests: WhatsAppGatewayTestCase {
    func testTheSameResolutionReplayedSendsOneSurvey() throws {
        let id = try gateway.openTicket()
        try gateway.move(id, to: "resolved")
        let store = gateway.app.store
        let observer = CSATSurveyObserver(messages: TicketMessageSender(whatsApp: gateway.app.whatsAppSender),
                                          settings: CSATSettings(), metrics: gateway.app.metrics, log: EventLog(minimum: .error))
        let now = gateway.clock.now
        for _ in 0..<2 {
            try store.database.write { c in
                let ticket = try XCTUnwrap(ConversationTicketTable.find(id, in: c))
                try observer.ticketMoved(TicketTransition(from: .open, to: .resolved, actor: "agent-7", at: now,
                                                          ticket: ticket), in: c)
            }
        }
        XCTAssertEqual(try gateway.count("csat_surveys"), 1)
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 1)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_csat_surveys_total", [("outcome", "already_sent")]), 2)
        XCTAssertEqual(cloud.waitForRequests(1).count, 1)
    }

    func testGreetingNamesAreFoldedForMeta() {
        XCTAssertEqual(CSATSurveyObserver.greetingName("Siti\n  Nur\tAisyah", language: "en"), "Siti Nur Aisyah")
        XCTAssertEqual(CSATSurveyObserver.greetingName(String(repeating: "a", count: 80), language: "en").count, 60)
        XCTAssertEqual(CSATSurveyObserver.greetingName(nil, language: "ms"), "Pelanggan")
        XCTAssertEqual(CSATSurveyObserver.greetingName("   ", language: "en"), "Customer")
    }

    func testASenderKnownOnlyByBSUIDIsSurveyedByBSUID() throws {
        try gateway.customerSays("hello", phone: nil, bsuid: "MY.1502576394655843", name: nil)
        let id = try XCTUnwrap(gateway.onlyTicket()["id"]?.int64Value)
        try gateway.move(id, to: "resolved")
        let body = try XCTUnwrap(cloud.waitForRequests(1).first?.text)
        XCTAssertTrue(body.contains(#""recipient":"MY.1502576394655843""#), body)
        XCTAssertTrue(body.contains(#"{"text":"Customer","type":"text"}"#), body)
    }
}
