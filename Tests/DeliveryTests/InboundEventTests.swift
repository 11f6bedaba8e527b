import Delivery
import GatewayKit
import XCTest

/// The stored form of inbound events: `init(json:)` must give back exactly what `toJSON()` wrote, also after the
/// payload went through the inbox as JSON text.
final class InboundEventTests: XCTestCase {
    static let fullMessage = InboundMessage(
        id: "wamid.FULL", channelID: "106540352242922", accountID: "102290129340398", senderPhone: "60123456789",
        senderUserID: "MY.1502576394655843", senderParentUserID: "MY.ENT.42", profileName: "Siti Aminah",
        username: "siti.aminah", timestamp: 1_767_225_600, type: .image, text: nil,
        media: InboundMedia(id: "1003383421387256", mimeType: "image/jpeg", sha256: "f3a9", caption: "Resit 收据 🧾",
                            filename: "r.jpg"),
        contextMessageID: "wamid.PREV")

    static let events: [InboundEvent] = [
        .message(fullMessage),
        .message(InboundMessage(id: "m1", channelID: "p", accountID: "w", senderUserID: "US.1", timestamp: 0,
                                type: .text, text: "Terima kasih! 谢谢你的帮助 👍🏽")),
        .message(InboundMessage(id: "m2", channelID: "p", accountID: "w", senderPhone: "1", timestamp: 2,
                                type: .location,
                                location: InboundLocation(latitude: 3.1390845, longitude: -101.5, name: "KL",
                                                          address: "Jalan \"Puncak\"\n50250"))),
        .message(InboundMessage(id: "m3", channelID: "p", accountID: "w", senderPhone: "1", timestamp: 3,
                                type: .location, location: InboundLocation(latitude: 3, longitude: 0))),
        .message(InboundMessage(id: "m4", channelID: "p", accountID: "w", senderPhone: "1", timestamp: 4,
                                type: .interactive,
                                interactive: InboundInteractiveReply(kind: .listReply, id: "opt", title: "Billing",
                                                                     description: "Refunds"))),
        .message(InboundMessage(id: "m5", channelID: "p", accountID: "w", senderPhone: "1", timestamp: 5,
                                type: .button, button: InboundButtonReply(payload: "STOP", text: "Stop"))),
        .message(InboundMessage(id: "m6", channelID: "p", accountID: "w", senderPhone: "1", timestamp: 6,
                                type: .reaction, reaction: InboundReaction(messageID: "wamid.X", emoji: "❤️"))),
        .message(InboundMessage(id: "m7", channelID: "p", accountID: "w", senderPhone: "1", timestamp: 7,
                                type: .unknown("poll_vote"),
                                raw: ["type": "poll_vote", "poll_vote": ["weight": 2.0, "ratio": 0.25, "n": nil]])),
        .status(InboundStatus(
            messageID: "wamid.S", channelID: "p", accountID: "w", state: .failed, timestamp: 9,
            recipientPhone: "16505559999", recipientUserID: "US.1", recipientParentUserID: "US.ENT.1",
            conversationID: "c1", conversationOrigin: "service", pricingCategory: "service",
            errors: [InboundError(code: 131_047, title: "Re-engagement message", message: "m", details: "d"),
                     InboundError()])),
        .status(InboundStatus(messageID: "wamid.S2", channelID: "p", accountID: "w", state: .other("deleted"),
                              timestamp: 10)),
        .contact(InboundContact(channelID: "p", accountID: "w", waID: "60123456789", userID: "MY.1",
                                parentUserID: "MY.ENT.1", profileName: "陈美玲", username: "meiling")),
        .contact(InboundContact(channelID: "p", accountID: "w", userID: "US.2")),
        .identityChange(InboundIdentityChange(
            messageID: "wamid.SYS1", channelID: "p", accountID: "w", timestamp: 11, change: .phoneNumber,
            body: "User A changed from 1 to 2", previousPhone: "1", newPhone: "2", previousUserID: "US.1",
            newUserID: "US.2", previousParentUserID: "US.ENT.1", newParentUserID: "US.ENT.2")),
        .identityChange(InboundIdentityChange(messageID: "wamid.SYS2", channelID: "p", accountID: "w", timestamp: 12,
                                              change: .userID, previousUserID: "US.2", newUserID: "US.3")),
        .message(InboundMessage(id: "m8", channelID: "p", accountID: "w", senderPhone: "1", timestamp: 13,
                                type: .interactive, errors: [InboundError(code: 131_051, title: "Unsupported")],
                                raw: ["type": "interactive"])),
        .preference(InboundPreference(channelID: "p", accountID: "w", phone: "60123456789", userID: "MY.1",
                                      category: InboundPreference.marketingCategory, choice: .stop,
                                      detail: "User requested to stop marketing messages", timestamp: 14)),
        .preference(InboundPreference(channelID: "p", accountID: nil, userID: "MY.2", category: "x",
                                      choice: .other("pause"), timestamp: 15)),
        .templateUpdate(InboundTemplateUpdate(accountID: "w", templateID: "9", name: "csat_request", language: "ms",
                                              status: "PAUSED", reason: "LOW_QUALITY", timestamp: 16)),
        .templateUpdate(InboundTemplateUpdate(accountID: "w", templateID: "9", name: "csat_request", language: "ms",
                                              quality: "RED")),
        .accountUpdate(InboundAccountUpdate(accountID: "w", topic: "account_update", event: "ACCOUNT_RESTRICTION",
                                            phoneNumber: "60312345678", timestamp: 17,
                                            detail: ["event": "ACCOUNT_RESTRICTION", "restriction_info": [
                                                ["restriction_type": "RESTRICTED_BIZ_INITIATED_MESSAGING"]]])),
        .echo(InboundMessage(id: "wamid.E", channelID: "p", accountID: "w", senderPhone: "60123456789", timestamp: 18,
                             type: .text, text: "On our way")),
        .message(InboundMessage(id: "m9", channelID: "p", accountID: "w", senderPhone: "1", timestamp: 19, type: .text,
                                text: "Is the promo on?", forwarded: "frequently_forwarded",
                                referral: InboundReferral(sourceType: "ad", sourceID: "120210000000001",
                                                          sourceURL: "https://fb.me/x", headline: "POS", body: "Try",
                                                          mediaType: "image", clickID: "ARAk"))),
        .call(InboundCall(callID: "wacid.1", channelID: "p", accountID: "w", customerPhone: "60123456789",
                          customerCalled: true, event: "terminate", status: "COMPLETED", startedAt: 20, endedAt: 80,
                          duration: 60, timestamp: 81)),
    ]

    func testEveryEventRoundTripsThroughItsJSON() throws {
        for event in Self.events {
            XCTAssertEqual(try InboundEvent(json: event.toJSON()), event)
        }
    }

    func testEveryEventRoundTripsThroughStoredJSONText() throws {
        for event in Self.events {
            let text = JSONWriter.bytes(event.toJSON())
            let back = try InboundEvent(json: JSONParser.parse(text))
            XCTAssertEqual(back, event, String(decoding: text, as: UTF8.self))
            XCTAssertEqual(JSONWriter.bytes(back.toJSON()), text, "re-encoding is byte-identical")
        }
    }

    func testKindsAndOccurredAt() {
        XCTAssertEqual(Self.events.map(\.kind), ["message", "message", "message", "message", "message", "message",
                                                 "message", "message", "status", "status", "contact", "contact",
                                                 "identity_change", "identity_change", "message", "preference",
                                                 "preference", "template_update", "template_update",
                                                 "account_update", "echo", "message", "call"])
        XCTAssertEqual(Set(Self.events.map(\.kind)), Set(InboundEvent.kinds))
        XCTAssertEqual(Self.events[0].occurredAt, 1_767_225_600)
        XCTAssertEqual(Self.events[8].occurredAt, 9)
        XCTAssertNil(Self.events[10].occurredAt)
        XCTAssertEqual(Self.events[13].occurredAt, 12)
        XCTAssertEqual(Self.events[15].occurredAt, 14, "a preference's own time")
        XCTAssertNil(Self.events[18].occurredAt, "a template report without its entry's time")
    }

    func testMessagePayloadUsesDocumentedFieldNamesAndOmitsAbsentOnes() {
        let json = InboundEvent.message(Self.fullMessage).toJSON()
        XCTAssertEqual(json, [
            "kind": "message", "id": "wamid.FULL", "channel_id": "106540352242922",
            "account_id": "102290129340398", "from": "60123456789", "from_user_id": "MY.1502576394655843",
            "from_parent_user_id": "MY.ENT.42", "profile_name": "Siti Aminah", "username": "siti.aminah",
            "timestamp": 1_767_225_600, "type": "image", "context_message_id": "wamid.PREV",
            "media": ["id": "1003383421387256", "mime_type": "image/jpeg", "sha256": "f3a9",
                      "caption": "Resit 收据 🧾", "filename": "r.jpg"],
        ])
        let minimal = InboundEvent.contact(InboundContact(channelID: "p", accountID: "w", userID: "US.2")).toJSON()
        XCTAssertEqual(minimal, ["kind": "contact", "channel_id": "p", "account_id": "w", "user_id": "US.2"])
    }

    func testStatusAndIdentityChangePayloadFieldNames() {
        XCTAssertEqual(Self.events[8].toJSON(), [
            "kind": "status", "id": "wamid.S", "channel_id": "p", "account_id": "w", "status": "failed",
            "timestamp": 9, "recipient_id": "16505559999", "recipient_user_id": "US.1",
            "recipient_parent_user_id": "US.ENT.1", "conversation_id": "c1", "conversation_origin": "service",
            "pricing_category": "service",
            "errors": [["code": 131_047, "title": "Re-engagement message", "message": "m", "details": "d"], [:]],
        ])
        XCTAssertEqual(Self.events[13].toJSON(), [
            "kind": "identity_change", "id": "wamid.SYS2", "channel_id": "p", "account_id": "w", "timestamp": 12,
            "change": "user_changed_user_id", "previous_user_id": "US.2", "new_user_id": "US.3",
        ])
    }

    func testPayloadsStoredWithTheEarlierWhatsAppFieldNamesStillRead() throws {
        let stored: JSONValue = ["kind": "message", "id": "wamid.OLD", "phone_number_id": "106540352242922",
                                 "waba_id": "102290129340398", "from": "60123456789", "timestamp": 5, "type": "text",
                                 "text": "hi"]
        guard case .message(let message) = try InboundEvent(json: stored) else { return XCTFail("not a message") }
        XCTAssertEqual(message.channelID, "106540352242922")
        XCTAssertEqual(message.accountID, "102290129340398")
        let status: JSONValue = ["kind": "status", "id": "wamid.S", "phone_number_id": "p", "status": "read",
                                 "timestamp": 9]
        guard case .status(let read) = try InboundEvent(json: status) else { return XCTFail("not a status") }
        XCTAssertEqual(read.channelID, "p")
        XCTAssertNil(read.accountID, "a source without accounts")
    }

    func testRawIsCanonicalSoIntegralNumbersSurviveStorage() throws {
        guard case .message(let message) = Self.events[7] else { return XCTFail() }
        XCTAssertEqual(message.raw?["poll_vote"]?["weight"], .integer(2))
        XCTAssertEqual(message.raw?["poll_vote"]?["ratio"], .number(0.25))
        XCTAssertEqual(message.raw?["poll_vote"]?["n"], .null)
    }

    func testDecodingErrorsNameTheField() {
        func error(_ json: JSONValue) -> InboundEventDecodingError? {
            do {
                _ = try InboundEvent(json: json)
                return nil
            } catch {
                return error as? InboundEventDecodingError
            }
        }
        XCTAssertEqual(error("text"), InboundEventDecodingError(path: "$", message: "must be an object, got string"))
        XCTAssertEqual(error([:]), InboundEventDecodingError(path: "kind", message: "is required"))
        XCTAssertEqual(error(["kind": "ticket"])?.path, "kind")
        var json = Self.events[0].toJSON()
        if case .object(var o) = json { o["timestamp"] = "yesterday"; json = .object(o) }
        XCTAssertEqual(error(json), InboundEventDecodingError(path: "timestamp", message: "must be an integer, got string"))
        if case .object(var o) = Self.events[0].toJSON() { o["media"] = ["mime_type": "image/png"]; json = .object(o) }
        XCTAssertEqual(error(json), InboundEventDecodingError(path: "media.id", message: "is required"))
        if case .object(var o) = Self.events[8].toJSON() { o["errors"] = [["code": "x"]]; json = .object(o) }
        XCTAssertEqual(error(json)?.path, "errors[0].code")
        if case .object(var o) = Self.events[12].toJSON() { o["change"] = "user_changed_mood"; json = .object(o) }
        XCTAssertEqual(error(json)?.path, "change")
    }

    func testMessageTypeAndStatusStateNamesRoundTrip() {
        for type in InboundMessageType.known {
            XCTAssertEqual(InboundMessageType(rawValue: type.rawValue), type)
        }
        XCTAssertEqual(InboundMessageType(rawValue: "poll_vote"), .unknown("poll_vote"))
        XCTAssertEqual(InboundMessageType.known.filter(\.isMedia), [.image, .audio, .video, .document, .sticker])
        for state in [InboundStatus.State.sent, .delivered, .read, .failed, .other("warning")] {
            XCTAssertEqual(InboundStatus.State(rawValue: state.rawValue), state)
        }
        for kind in [InboundInteractiveReply.Kind.buttonReply, .listReply, .other("nfm_reply")] {
            XCTAssertEqual(InboundInteractiveReply.Kind(rawValue: kind.rawValue), kind)
        }
    }

    func testDisplayTextPrefersWhatTheUserTyped() {
        guard case .message(let text) = Self.events[1], case .message(let list) = Self.events[4],
              case .message(let button) = Self.events[5], case .message(let reaction) = Self.events[6]
        else { return XCTFail() }
        XCTAssertEqual(text.displayText, "Terima kasih! 谢谢你的帮助 👍🏽")
        XCTAssertEqual(list.displayText, "Billing")
        XCTAssertEqual(button.displayText, "Stop")
        XCTAssertEqual(Self.fullMessage.displayText, "Resit 收据 🧾")
        XCTAssertNil(reaction.displayText)
    }
}
