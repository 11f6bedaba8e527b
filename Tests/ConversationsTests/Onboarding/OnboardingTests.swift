import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// Onboarding sessions on lead tickets over HTTP. The gateway's clock starts on Sunday 15 June 2025, 23:06 in Kuala
/// Lumpur; the team works Monday to Friday 09:00–17:00 there in one-hour slots, quiet hours 21:00–09:00.
final class OnboardingTests: WhatsAppGatewayTestCase {
    private var ticketID: Int64 = 0

    override func setUpWithError() throws {
        try super.setUpWithError()
        ticketID = try gateway.openTicket("How much is the POS package?")
    }

    private func book(_ slot: String, owner: String = "mei@merchant-success.example", ticket: Int64? = nil,
                      method: String = "POST") throws -> ClientResponse {
        try gateway.admin(method, "/v1/tickets/\(ticket ?? ticketID)/onboarding",
                          body: #"{"slot": "\#(slot)", "owner": "\#(owner)"}"#, token: try gateway.actorToken("sales-1"))
    }

    private func slots(_ from: String, _ to: String) throws -> [String] {
        let response = try gateway.admin("GET", "/v1/onboarding/slots?from=\(from)&to=\(to)")
        XCTAssertEqual(response.status, 200, response.text)
        return response.json?["items"]?.arrayValue?.compactMap { $0["start"]?.stringValue } ?? []
    }

    /// The templates sent for the ticket's onboarding: name, not-before time (nil = at once), status.
    private func onboardingMessages() throws -> [[String: String]] {
        try gateway.rows("""
            SELECT m.template_name AS template, m.status AS status, coalesce(CAST(o.first_due_at AS TEXT), '') AS due
            FROM whatsapp_outbound_messages m LEFT JOIN outbox o ON o.idempotency_key = m.outbox_key
            WHERE m.purpose LIKE 'onboarding%' ORDER BY m.id
            """)
    }

    func testSlotsAreTheWorkingHoursWithoutTheBookedOnes() throws {
        let monday = try slots("2025-06-16T00:00:00%2B08:00", "2025-06-17T00:00:00%2B08:00")
        XCTAssertEqual(monday, (1...8).map { String(format: "2025-06-16T%02d:00:00.000Z", $0) })
        XCTAssertEqual(try book("2025-06-16T10:00:00+08:00").status, 201)
        XCTAssertEqual(try slots("2025-06-16T00:00:00%2B08:00", "2025-06-17T00:00:00%2B08:00"),
                       monday.filter { $0 != "2025-06-16T02:00:00.000Z" })
        XCTAssertEqual(try slots("2025-06-21T00:00:00%2B08:00", "2025-06-23T00:00:00%2B08:00"), [], "a weekend")
        let week = try gateway.admin("GET", "/v1/onboarding/slots")
        XCTAssertEqual(week.json?["items"]?.arrayValue?.count, 39,
                       "the next seven days by default: five working days of eight slots, one booked")
        XCTAssertEqual(week.json?["time_zone"], "Asia/Kuala_Lumpur")
        XCTAssertEqual(week.json?["slot_minutes"], 60)
        let backwards = try gateway.admin("GET", "/v1/onboarding/slots?from=2025-06-17T00:00:00Z&to=2025-06-16T00:00:00Z")
        XCTAssertEqual(ClientResponseSummary(backwards).fields, ["to"])
        XCTAssertEqual(ClientResponseSummary(try gateway.admin("GET", "/v1/onboarding/slots?from=soon")).fields, ["from"])
    }

    func testBookingConfirmsAtOnceAndRemindsTheDayAndTheHourBeforeOutsideQuietHours() throws {
        let booked = try book("2025-06-17T14:00:00+08:00")
        XCTAssertEqual(booked.status, 201, booked.text)
        XCTAssertEqual(booked.json?["start"], "2025-06-17T06:00:00.000Z")
        XCTAssertEqual(booked.json?["end"], "2025-06-17T07:00:00.000Z")
        XCTAssertEqual(booked.json?["sequence"], 0)
        XCTAssertEqual(try onboardingMessages().map { [$0["template"] ?? "", $0["due"] ?? ""] }, [
            ["onboarding_confirmation", String(gateway.clock.now)],
            ["onboarding_reminder", String(TestGateway.millis("2025-06-16", "14:00"))],
            ["onboarding_reminder", String(TestGateway.millis("2025-06-17", "13:00"))],
        ])
        let confirmation = try XCTUnwrap(JSONParser.parse(Array(cloud.waitForRequests(2)[1].text.utf8)))
        XCTAssertEqual(confirmation["template"]?["name"], "onboarding_confirmation")
        XCTAssertEqual(confirmation["template"]?["components"]?.arrayValue?.first?["parameters"]?.arrayValue?
            .compactMap { $0["text"]?.stringValue },
                       ["Aisyah", "Tuesday 17 June 2025, 14:00", "mei@merchant-success.example"])
        XCTAssertEqual(JSONValue.array(try gateway.ticketList(ticketID, "history")).actions.last, "onboarding_booked")

        gateway.moveClock(to: "2025-06-16", "14:00")
        gateway.deliverDueMessages()
        XCTAssertEqual(try XCTUnwrap(JSONParser.parse(Array(cloud.waitForRequests(3)[2].text.utf8)))["template"]?["name"],
                       "onboarding_reminder")
    }

    func testAnEarlyMorningSessionGetsNoReminderInsideQuietHours() throws {
        XCTAssertEqual(try book("2025-06-17T09:00:00+08:00").status, 201)
        XCTAssertEqual(try onboardingMessages().map { $0["template"] ?? "" },
                       ["onboarding_confirmation", "onboarding_reminder"],
                       "08:00 is quiet and its end is the session's start: only the day-before reminder")
        XCTAssertEqual(try onboardingMessages().last?["due"], String(TestGateway.millis("2025-06-16", "09:00")))
    }

    func testAnOccupiedPastOrOffHoursSlotIsRefusedAndNothingIsWritten() throws {
        XCTAssertEqual(try book("2025-06-16T10:00:00+08:00").status, 201)
        try gateway.customerSays("I'm interested in a demo", phone: "60199999999", name: "Ben")
        let other = try XCTUnwrap(gateway.conversationTickets().first?["id"]?.int64Value)
        let before = try gateway.count("whatsapp_outbound_messages")

        let occupied = try book("2025-06-16T02:00:00Z", ticket: other)
        XCTAssertEqual(occupied.status, 409, occupied.text)
        XCTAssertTrue(occupied.text.contains("already booked (ticket \(ticketID))"), occupied.text)
        XCTAssertEqual(try book("2025-06-18T10:00:00+08:00").status, 409, "a booked ticket is rescheduled, not booked again")
        let cases: [(String, String)] = [
            ("2025-06-13T10:00:00+08:00", "is in the past"),
            ("2025-06-16T10:30:00+08:00", "is not the start of a working-hours slot"),
            ("2025-06-16T17:00:00+08:00", "is not the start of a working-hours slot"),
            ("2025-06-21T10:00:00+08:00", "is not the start of a working-hours slot"),
            ("tomorrow", "must be an RFC 3339 time"),
            ("24h", "must be an RFC 3339 time"),
        ]
        for (slot, reason) in cases {
            let response = try book(slot, ticket: other)
            XCTAssertEqual(response.status, 400, slot)
            XCTAssertEqual(ClientResponseSummary(response).fields, ["slot"], slot)
            XCTAssertTrue(response.text.contains(reason), response.text)
        }
        let noOwner = try gateway.admin("POST", "/v1/tickets/\(other)/onboarding", body: #"{"slot": "2025-06-16T11:00:00+08:00"}"#)
        XCTAssertEqual(ClientResponseSummary(noOwner).fields, ["owner"])
        try gateway.customerSays("hello", phone: "60188888888", name: "Chen")
        let support = try XCTUnwrap(gateway.conversationTickets().first?["id"]?.int64Value)
        XCTAssertEqual(try book("2025-06-16T11:00:00+08:00", ticket: support).status, 409, "not a lead")
        XCTAssertEqual(try gateway.count("onboarding_bookings"), 1)
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), before, "no refusal sends anything")
    }

    func testRescheduleAndCancelKeepTheInvitesUIDCountItsSequenceAndWithdrawTheReminders() throws {
        XCTAssertEqual(try book("2025-06-17T14:00:00+08:00").status, 201)
        let first = try Invite(gateway, ticketID)
        XCTAssertEqual(first["SEQUENCE"], "0")
        XCTAssertEqual(first["METHOD"], "REQUEST")
        XCTAssertEqual(first["DTSTART"], "20250617T060000Z")

        let moved = try book("2025-06-18T15:00:00+08:00", owner: "lee@merchant-success.example", method: "PATCH")
        XCTAssertEqual(moved.status, 200, moved.text)
        let second = try Invite(gateway, ticketID)
        XCTAssertEqual(second["UID"], first["UID"])
        XCTAssertEqual(second["SEQUENCE"], "1")
        XCTAssertEqual(second["DTSTART"], "20250618T070000Z")
        XCTAssertEqual(second["ORGANIZER;CN=\"lee@merchant-success.example\""], "mailto:lee@merchant-success.example")
        let messages = try onboardingMessages()
        XCTAssertEqual(messages.map { $0["template"] ?? "" }, ["onboarding_confirmation", "onboarding_reminder",
                                                               "onboarding_reminder", "onboarding_rescheduled",
                                                               "onboarding_reminder", "onboarding_reminder"])
        XCTAssertEqual(messages.filter { $0["template"] == "onboarding_reminder" }.map { $0["status"] ?? "" },
                       ["failed", "failed", "queued", "queued"], "the old reminders are withdrawn, the new ones wait")
        XCTAssertEqual(try gateway.rows("SELECT error_title FROM whatsapp_outbound_messages WHERE status = 'failed'")
            .compactMap { $0["error_title"] }, ["withdrawn", "withdrawn"])
        XCTAssertTrue(try slots("2025-06-17T00:00:00%2B08:00", "2025-06-18T00:00:00%2B08:00")
            .contains("2025-06-17T06:00:00.000Z"), "the old slot is free again")

        let cancelled = try gateway.admin("DELETE", "/v1/tickets/\(ticketID)/onboarding")
        XCTAssertEqual(cancelled.status, 200, cancelled.text)
        XCTAssertEqual(cancelled.json?["status"], "cancelled")
        let third = try Invite(gateway, ticketID)
        XCTAssertEqual(third["UID"], first["UID"])
        XCTAssertEqual(third["SEQUENCE"], "2")
        XCTAssertEqual(third["METHOD"], "CANCEL")
        XCTAssertEqual(third["STATUS"], "CANCELLED")
        XCTAssertEqual(try onboardingMessages().last?["template"], "onboarding_cancelled")
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages", "purpose = 'onboarding_reminder' AND status = 'queued'"), 0)
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/tickets/\(ticketID)/onboarding").status, 404)
        XCTAssertEqual(JSONValue.array(try gateway.ticketList(ticketID, "history")).actions.suffix(3),
                       ["onboarding_booked", "onboarding_rescheduled", "onboarding_cancelled"])
        XCTAssertEqual(try gateway.count("audit_events", "action LIKE 'onboarding.%'"), 3)
    }
}
