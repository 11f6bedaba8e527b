import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// The invite's text survives escaping and folding: what the lead typed — commas, semicolons, backslashes, Malay and
/// non-Latin letters, a long interest — reads back exactly from the parsed file.
final class OnboardingInviteTests: WhatsAppGatewayTestCase {
    func testTextIsEscapedAndLinesAreFoldedAt75OctetsWithoutSplittingCharacters() throws {
        let ticketID = try gateway.openTicket("How much is the POS package?")
        try gateway.customerSays("Tan, Mei Ling; 陈美玲")
        try gateway.customerSays(#"Kopi\Teh; Ampang, Sdn. Bhd."#)
        let interest = "Online ordering for three outlets in Ampang, Cheras and Petaling Jaya — with café loyalty too"
        try gateway.customerSays(interest)
        let booked = try gateway.admin("POST", "/v1/tickets/\(ticketID)/onboarding",
                                       body: #"{"slot": "2025-06-17T10:00:00+08:00", "owner": "Mei (Merchant Success)"}"#)
        XCTAssertEqual(booked.status, 201, booked.text)

        let invite = try Invite(gateway, ticketID)
        XCTAssertEqual(invite["SUMMARY"], #"Onboarding: Kopi\Teh; Ampang, Sdn. Bhd. (T-\#(ticketID))"#)
        XCTAssertEqual(invite["DESCRIPTION"], """
            Merchant Success onboarding for ticket T-\(ticketID)
            Merchant: Tan, Mei Ling; 陈美玲
            Business: Kopi\\Teh; Ampang, Sdn. Bhd.
            Interest: \(interest)
            Owner: Mei (Merchant Success)
            """)
        XCTAssertEqual(invite["DTEND"], "20250617T030000Z")
        XCTAssertNil(invite["ORGANIZER"], "an owner without an e-mail address names no organizer")
        let text = String(decoding: invite.raw, as: UTF8.self)
        XCTAssertTrue(text.contains("\r\n "), "the description is folded")
        XCTAssertTrue(text.contains(#"Kopi\\Teh\; Ampang\, Sdn. Bhd."#), "escaped as RFC 5545 TEXT")
        XCTAssertEqual(invite.properties.map(\.name).filter { $0 == "BEGIN" || $0 == "END" }.count, 4)
    }
}
