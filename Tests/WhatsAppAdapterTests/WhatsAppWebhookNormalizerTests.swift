import Delivery
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import WhatsAppAdapter
import XCTest

/// Unit tests of the WhatsApp normalizer over the shared fixtures: concrete fields of every item, dedupe keys, poison
/// isolation, BSUID-only senders and exact non-ASCII text.
final class WhatsAppWebhookNormalizerTests: XCTestCase {
    private let normalizer = WhatsAppWebhookNormalizer()

    private func normalize(_ fixture: String) throws -> NormalizationResult {
        try normalizer.normalize(Array(fixture.utf8))
    }

    // MARK: - Fixtures

    func testTextBatchBecomesOneContactAndOneMessage() throws {
        let result = try normalize(WhatsAppFixtures.textBatch)
        XCTAssertEqual(result.failures, [])
        XCTAssertEqual(result.items.map(\.kind), ["contact", "message"])

        let id = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA="
        XCTAssertEqual(try result.message(id), InboundMessage(
            id: id, channelID: WhatsAppFixtures.phoneNumberID, accountID: WhatsAppFixtures.wabaID,
            senderPhone: "16505551234", senderUserID: "US.13491208655302741918", profileName: "Sheena Nelson",
            timestamp: 1_749_416_383, type: .text, text: "Does it come in another color?"))
        XCTAssertEqual(try result.item("wa:msg:\(id)").occurredAt, 1_749_416_383)

        let contact = try XCTUnwrap(try result.contacts().first)
        XCTAssertEqual(contact, InboundContact(channelID: WhatsAppFixtures.phoneNumberID,
                                               accountID: WhatsAppFixtures.wabaID, waID: "16505551234",
                                               userID: "US.13491208655302741918", profileName: "Sheena Nelson"))
        let contactItem = try XCTUnwrap(result.items.first { $0.kind == "contact" })
        XCTAssertTrue(contactItem.dedupeKey.hasPrefix("wa:contact:US.13491208655302741918:"), contactItem.dedupeKey)
        XCTAssertEqual(contactItem.occurredAt, 1_749_416_383, "a snapshot is dated by the message it came with")
    }

    func testMixedBatchReadsEveryEntryChangeAndMessageType() throws {
        let result = try normalize(WhatsAppFixtures.mixedBatch)
        XCTAssertEqual(result.failures, [])
        XCTAssertEqual(result.items.map(\.dedupeKey).filter { !$0.hasPrefix("wa:contact:") }, [
            "wa:msg:wamid.MIX-TEXT-0001", "wa:msg:wamid.MIX-IMAGE-0002", "wa:msg:wamid.MIX-BUTTON-0003",
            "wa:msg:wamid.MIX-LOCATION-0004", "wa:msg:wamid.MIX-REACTION-0005", "wa:msg:wamid.MIX-UNKNOWN-0006",
            "wa:tpl:1234567890:en_US:status:APPROVED:", "wa:status:wamid.OUT-0100:sent", "wa:status:wamid.OUT-0100:delivered", "wa:status:wamid.OUT-0100:read",
        ])
        XCTAssertEqual(result.items.map(\.kind), ["contact", "message", "message", "message", "contact", "message",
                                                  "message", "message", "template_update", "contact", "status",
                                                  "status", "status"])

        let text = try result.message("wamid.MIX-TEXT-0001")
        XCTAssertEqual(text.text, "Hi, has my order shipped?")
        XCTAssertEqual(text.profileName, "Siti Aminah")
        XCTAssertEqual(text.username, "siti.aminah")
        XCTAssertEqual(text.senderPhone, "60123456789")
        XCTAssertEqual(text.senderUserID, "MY.1502576394655843")
        XCTAssertEqual(text.timestamp, 1_767_225_600)
        XCTAssertNil(text.raw, "fully modelled types keep no raw copy")

        let image = try result.message("wamid.MIX-IMAGE-0002")
        XCTAssertEqual(image.type, .image)
        XCTAssertEqual(image.media, InboundMedia(
            id: "1003383421387256", mimeType: "image/jpeg",
            sha256: "f3a9c1d2e0b47c5a8e6d9b1f2c3a4e5d6f7081920a1b2c3d4e5f60718293a4b5", caption: "Receipt attached"))
        XCTAssertEqual(image.displayText, "Receipt attached")

        let button = try result.message("wamid.MIX-BUTTON-0003")
        XCTAssertEqual(button.type, .interactive)
        XCTAssertEqual(button.interactive, InboundInteractiveReply(kind: .buttonReply, id: "csat_5", title: "Excellent"))
        XCTAssertEqual(button.contextMessageID, "wamid.OUT-CSAT-0001")
        XCTAssertEqual(button.displayText, "Excellent")
        XCTAssertNil(button.raw)

        let location = try result.message("wamid.MIX-LOCATION-0004")
        XCTAssertEqual(location.location, InboundLocation(latitude: 3.1390845, longitude: 101.6868553,
                                                          name: "Menara KL",
                                                          address: "Jalan Puncak, 50250 Kuala Lumpur"))
        XCTAssertEqual(location.profileName, "Budi Santoso")
        XCTAssertNil(location.username)

        let reaction = try result.message("wamid.MIX-REACTION-0005")
        XCTAssertEqual(reaction.reaction, InboundReaction(messageID: "wamid.OUT-0042", emoji: "❤️"))

        let unknown = try result.message("wamid.MIX-UNKNOWN-0006")
        XCTAssertEqual(unknown.type, .unknown("poll_vote"))
        XCTAssertEqual(unknown.raw?["type"], "poll_vote")
        XCTAssertEqual(unknown.raw?["poll_vote"]?["options"], [2, 3])
        XCTAssertEqual(unknown.raw?["poll_vote"]?["weight"], 1.5)
        XCTAssertEqual(unknown.raw?["id"], "wamid.MIX-UNKNOWN-0006")
    }

    func testMixedBatchCarriesEachEntrysBusinessIdentifiers() throws {
        let result = try normalize(WhatsAppFixtures.mixedBatch)
        let text = try result.message("wamid.MIX-TEXT-0001")
        XCTAssertEqual(text.accountID, WhatsAppFixtures.wabaID)
        XCTAssertEqual(text.channelID, WhatsAppFixtures.phoneNumberID)
        for status in try result.statuses() {
            XCTAssertEqual(status.accountID, WhatsAppFixtures.secondWabaID)
            XCTAssertEqual(status.channelID, WhatsAppFixtures.secondPhoneNumberID)
        }
        let faiz = try XCTUnwrap(try result.contacts().first { $0.userID == "MY.9988776655443322" })
        XCTAssertEqual(faiz.accountID, WhatsAppFixtures.secondWabaID)
        XCTAssertEqual(faiz.username, "ahmadfaiz")
        XCTAssertEqual(faiz.waID, "60177788899")
    }

    func testStatusesKeepStateRecipientConversationPricingAndErrors() throws {
        let result = try normalize(WhatsAppFixtures.statuses)
        XCTAssertEqual(result.failures, [])
        XCTAssertEqual(result.items.map(\.dedupeKey).filter { $0.hasPrefix("wa:status:") }, [
            "wa:status:wamid.STATUS-0001:sent", "wa:status:wamid.STATUS-0001:delivered",
            "wa:status:wamid.STATUS-0001:read", "wa:status:wamid.STATUS-0002:failed",
            "wa:status:wamid.STATUS-0003:read",
        ])
        let all = try result.statuses()
        XCTAssertEqual(all.map(\.state), [.sent, .delivered, .read, .failed, .read])
        guard all.count == 5 else { return }  // indexed below; the assertion above already failed

        XCTAssertEqual(all[0], InboundStatus(
            messageID: "wamid.STATUS-0001", channelID: WhatsAppFixtures.phoneNumberID,
            accountID: WhatsAppFixtures.wabaID, state: .sent, timestamp: 1_767_226_200, recipientPhone: "16505551234",
            recipientUserID: "US.13491208655302741918", conversationID: "6ceb9d929c0b4bd1b1a2b4d8e7c3f2a1",
            conversationOrigin: "utility", conversationExpiresAt: 1_767_312_600, pricingCategory: "utility",
            pricingModel: "PMP", billable: true))
        XCTAssertNil(all[2].conversationID)

        XCTAssertEqual(all[3].recipientPhone, "16505559999")
        XCTAssertNil(all[3].recipientUserID)
        XCTAssertEqual(all[3].errors, [InboundError(
            code: 131_047, title: "Re-engagement message", message: "Re-engagement message",
            details: "Message failed to send because more than 24 hours have passed since the customer last replied "
                + "to this number.")])

        XCTAssertNil(all[4].recipientPhone, "sent to a BSUID: no phone")
        XCTAssertEqual(all[4].recipientUserID, "US.8472615093847261")
        XCTAssertEqual(try result.item("wa:status:wamid.STATUS-0003:read").occurredAt, 1_767_226_500)

        let pat = try XCTUnwrap(try result.contacts().first)
        XCTAssertEqual(pat.username, "pat.codes")
        XCTAssertNil(pat.waID)
        XCTAssertEqual(result.items.first { $0.kind == "contact" }?.occurredAt, 1_767_226_500,
                       "dated by the status about a message to that BSUID")
    }

    func testBSUIDOnlySenderHasNoPhoneButAFullIdentity() throws {
        let result = try normalize(WhatsAppFixtures.bsuidOnly)
        XCTAssertEqual(result.failures, [])
        let message = try result.message("wamid.BSUID-ONLY-0001")
        XCTAssertNil(message.senderPhone)
        XCTAssertEqual(message.senderUserID, "US.8472615093847261")
        XCTAssertEqual(message.senderParentUserID, "US.ENT.11815799212886844830")
        XCTAssertEqual(message.profileName, "Pat Lee", "matched to its contact by BSUID")
        XCTAssertEqual(message.username, "pat.codes")
        XCTAssertEqual(message.text, "Hello, I found you through your ad")

        let payload = try result.item("wa:msg:wamid.BSUID-ONLY-0001").payload
        XCTAssertNil(payload["from"], "absent stays absent in the stored payload")
        XCTAssertEqual(payload["from_user_id"], "US.8472615093847261")

        let contact = try XCTUnwrap(try result.contacts().first)
        XCTAssertEqual(contact, InboundContact(
            channelID: WhatsAppFixtures.phoneNumberID, accountID: WhatsAppFixtures.wabaID, waID: nil,
            userID: "US.8472615093847261", parentUserID: "US.ENT.11815799212886844830", profileName: "Pat Lee",
            username: "pat.codes"))
        XCTAssertTrue(result.items[0].dedupeKey.hasPrefix("wa:contact:US.8472615093847261:"))
    }

    func testNonASCIIAndEmojiTextIsPreservedExactly() throws {
        let result = try normalize(WhatsAppFixtures.nonASCII)
        XCTAssertEqual(result.failures, [])
        let raw = try result.message("wamid.NONASCII-0001")
        XCTAssertEqual(raw.text, WhatsAppFixtures.nonASCIIText)
        XCTAssertEqual(Array(raw.text!.unicodeScalars), Array(WhatsAppFixtures.nonASCIIText.unicodeScalars))
        XCTAssertEqual(raw.profileName, "陈美玲 (Mei Ling)")
        XCTAssertEqual(try result.message("wamid.NONASCII-0002").text, "Café ☕ 👍🏽")

        // The stored payload text carries the same bytes (no \u escaping, no normalization form change).
        let stored = JSONWriter.string(try result.item("wa:msg:wamid.NONASCII-0001").payload)
        XCTAssertTrue(stored.contains(WhatsAppFixtures.nonASCIIText))
        let reparsed = try InboundEvent(json: JSONParser.parse(Array(stored.utf8)))
        guard case .message(let back) = reparsed else { return XCTFail("not a message") }
        XCTAssertEqual(back.text, WhatsAppFixtures.nonASCIIText)
    }

    func testSystemMessagesBecomeIdentityChanges() throws {
        let result = try normalize(WhatsAppFixtures.systemChanges)
        XCTAssertEqual(result.failures, [])
        XCTAssertEqual(result.items.map(\.kind), ["identity_change", "identity_change"])
        XCTAssertEqual(result.items.map(\.dedupeKey), ["wa:sys:wamid.SYSTEM-NUMBER-0001", "wa:sys:wamid.SYSTEM-USERID-0002"])
        XCTAssertEqual(result.items.map(\.occurredAt), [1_767_226_600, 1_767_226_700])
        guard result.items.count == 2 else { return }

        XCTAssertEqual(try InboundEvent(json: result.items[0].payload), .identityChange(InboundIdentityChange(
            messageID: "wamid.SYSTEM-NUMBER-0001", channelID: WhatsAppFixtures.phoneNumberID,
            accountID: WhatsAppFixtures.wabaID, timestamp: 1_767_226_600, change: .phoneNumber,
            body: "User Siti Aminah changed from 60123456789 to 60198765432", previousPhone: "60123456789",
            newPhone: "60198765432", previousUserID: "MY.1502576394655843", newUserID: "MY.2718281828459045")))

        XCTAssertEqual(try InboundEvent(json: result.items[1].payload), .identityChange(InboundIdentityChange(
            messageID: "wamid.SYSTEM-USERID-0002", channelID: WhatsAppFixtures.phoneNumberID,
            accountID: WhatsAppFixtures.wabaID, timestamp: 1_767_226_700, change: .userID,
            body: "User Pat Lee's business-scoped user ID changed", previousUserID: "US.8472615093847261",
            newUserID: "US.5550001112223334", previousParentUserID: "US.ENT.11815799212886844830",
            newParentUserID: "US.ENT.99990000111122223333")))
    }

    // MARK: - Poison isolation

    func testPoisonElementsFailAloneWithTheirPaths() throws {
        let result = try normalize(WhatsAppFixtures.poisonBatch)
        XCTAssertEqual(result.items.map(\.dedupeKey).filter { !$0.hasPrefix("wa:contact:") }, [
            "wa:msg:wamid.POISON-GOOD-0001", "wa:msg:wamid.POISON-GOOD-0005", "wa:status:wamid.OUT-0201:delivered",
        ])
        XCTAssertEqual(try result.contacts().map(\.profileName), ["Siti Aminah"])

        let value = "entry[0].changes[0].value"
        XCTAssertEqual(result.failures.map(\.path), [
            "\(value).contacts[1]", "\(value).messages[1]", "\(value).messages[2]", "\(value).messages[3]",
            "\(value).statuses[0]", "entry[0].changes[1].value.messages",
        ])
        XCTAssertEqual(result.failures.map(\.error), [
            "\(value).contacts[1].wa_id or user_id is required",
            "\(value).messages[1].id is required",
            "\(value).messages[2].text.body must be a string, got number",
            "\(value).messages[3] must be an object, got string",
            "\(value).statuses[0].status must be a string, got number",
            "entry[0].changes[1].value.messages must be an array, got object",
        ])
        // The raw element is kept for inspection and replay.
        guard result.failures.count == 6 else { return }
        XCTAssertEqual(result.failures[2].raw["id"], "wamid.POISON-BAD-0003")
        XCTAssertEqual(result.failures[3].raw, "not a message")
    }

    func testBrokenEntryOrChangeFailsOnlyItself() throws {
        let body = #"""
        {"object": "whatsapp_business_account", "entry": [
          {"changes": []},
          {"id": "1", "changes": [
            {"field": "messages", "value": {"messages": []}},
            {"field": "messages", "value": {"metadata": {"phone_number_id": "2"},
             "messages": [{"from": "6012", "id": "wamid.Z", "timestamp": "1", "type": "text", "text": {"body": "ok"}}]}}
          ]},
          7
        ]}
        """#
        let result = try normalizer.normalize(Array(body.utf8))
        XCTAssertEqual(result.items.map(\.dedupeKey), ["wa:msg:wamid.Z"])
        XCTAssertEqual(result.failures.map(\.path), ["entry[0]", "entry[1].changes[0]", "entry[2]"])
        XCTAssertEqual(result.failures.map(\.error), [
            "entry[0].id is required", "entry[1].changes[0].value.metadata is required",
            "entry[2] must be an object, got number",
        ])
    }

    func testBodyThatIsNotJSONThrowsAndNonObjectIsAFailure() throws {
        XCTAssertThrowsError(try normalizer.normalize(Array("{\"object\":".utf8))) { error in
            XCTAssertTrue(error is JSONParseError)
        }
        let array = try normalizer.normalize(Array("[1,2]".utf8))
        XCTAssertEqual(array.items, [])
        XCTAssertEqual(array.failures.map(\.path), [""])
        let noEntry = try normalizer.normalize(Array(#"{"object":"whatsapp_business_account"}"#.utf8))
        XCTAssertEqual(noEntry.failures.map(\.path), ["entry"])
        XCTAssertEqual(noEntry.failures.map(\.error), ["entry is required"])
        XCTAssertEqual(normalizer.source, .whatsapp)
    }

    // MARK: - Dedupe keys

    func testSameDeliveryGivesTheSameKeysAndRepeatsInsideABatchCollapse() throws {
        let first = try normalize(WhatsAppFixtures.mixedBatch)
        let again = try normalize(WhatsAppFixtures.mixedBatch + "\n")
        XCTAssertEqual(first, again)

        // The same contact and message twice in one delivery (two changes) give one item each.
        let change = #"""
        {"field": "messages", "value": {"metadata": {"phone_number_id": "106540352242922"},
          "contacts": [{"profile": {"name": "Siti"}, "wa_id": "60123456789"}],
          "messages": [{"from": "60123456789", "id": "wamid.DUP", "timestamp": "1", "type": "text",
                        "text": {"body": "hi"}}]}}
        """#
        let body = #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":["# + change + "," + change + "]}]}"
        let result = try normalizer.normalize(Array(body.utf8))
        XCTAssertEqual(result.items.map(\.kind), ["contact", "message"])
        XCTAssertEqual(Set(result.items.map(\.dedupeKey)).count, result.items.count)
    }

    func testContactKeyChangesOnlyWhenTheSnapshotChanges() {
        let base = InboundContact(channelID: "1", accountID: "2", userID: "MY.1", profileName: "Siti")
        var withPhone = base
        withPhone.waID = "60123456789"
        var renamed = base
        renamed.username = "siti.a"
        let keys = [base, base, withPhone, renamed].map { WhatsAppWebhookNormalizer.dedupeKey(for: .contact($0)) }
        XCTAssertEqual(keys[0], keys[1])
        XCTAssertNotEqual(keys[0], keys[2], "a phone added to a BSUID is a new snapshot")
        XCTAssertNotEqual(keys[0], keys[3])
        XCTAssertTrue(keys.allSatisfy { $0.hasPrefix("wa:contact:MY.1:") && $0.count == "wa:contact:MY.1:".count + 16 })

        let phoneOnly = InboundContact(channelID: "1", accountID: "2", waID: "60123456789")
        XCTAssertTrue(WhatsAppWebhookNormalizer.dedupeKey(for: .contact(phoneOnly)).hasPrefix("wa:contact:60123456789:"))

        // The fingerprint is 64-bit FNV-1a over the snapshot's stored JSON, in 16 hex digits: keys already in an inbox
        // must keep matching the same snapshot seen again.
        for contact in [base, withPhone, renamed, phoneOnly] {
            var fnv: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in Array(InboundEvent.contact(contact).payloadText.utf8) {
                fnv = (fnv ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
            let hex = String(fnv, radix: 16)
            XCTAssertTrue(WhatsAppWebhookNormalizer.dedupeKey(for: .contact(contact))
                .hasSuffix(":" + String(repeating: "0", count: 16 - hex.count) + hex))
        }
    }

    func testEveryItemPayloadReadsBackAsTheEventOfItsKind() throws {
        for fixture in [WhatsAppFixtures.textBatch, WhatsAppFixtures.mixedBatch, WhatsAppFixtures.bsuidOnly,
                        WhatsAppFixtures.nonASCII, WhatsAppFixtures.statuses, WhatsAppFixtures.systemChanges,
                        WhatsAppFixtures.poisonBatch] {
            for item in try normalize(fixture).items {
                let event = try InboundEvent(json: item.payload)
                XCTAssertEqual(event.kind, item.kind)
                XCTAssertEqual(item.payload["kind"]?.stringValue, item.kind)
                XCTAssertEqual(WhatsAppWebhookNormalizer.dedupeKey(for: event), item.dedupeKey)
                // Survives the inbox's text storage unchanged.
                let stored = try JSONParser.parse(JSONWriter.bytes(item.payload))
                XCTAssertEqual(try InboundEvent(json: stored), event, item.dedupeKey)
            }
        }
    }
}
