import Delivery
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import WhatsAppAdapter
import XCTest

/// How single WhatsApp messages are read: every modelled content type, the raw copy of unmodelled ones, and which
/// broken messages become poison (with every problem named by its path).
final class WhatsAppMessageReadingTests: XCTestCase {
    private let normalizer = WhatsAppWebhookNormalizer()

    func testWrongTypedFieldsInsideAMessageAreAllReported() throws {
        let body = WhatsAppFixtures.envelope(messages: #"""
            [{"from": 60123, "id": "wamid.X", "timestamp": "soon", "type": "location",
              "location": {"latitude": "north", "name": 5}}]
            """#)
        let result = try normalizer.normalize(Array(body.utf8))
        XCTAssertEqual(result.items, [])
        let failure = try XCTUnwrap(result.failures.first)
        let path = "entry[0].changes[0].value.messages[0]"
        XCTAssertEqual(failure.path, path)
        XCTAssertEqual(failure.error, [
            "\(path).from must be a string, got number",
            "\(path).timestamp must be unix seconds, got \"soon\"",
            "\(path).location.latitude must be a number, got string",
            "\(path).location.longitude is required",
            "\(path).location.name must be a string, got number",
        ].joined(separator: "; "))
    }

    func testMessageWithoutAnySenderIdFails() throws {
        let body = WhatsAppFixtures.envelope(messages: #"[{"id": "wamid.Y", "timestamp": 1767226000, "type": "text", "text": {"body": "hi"}}]"#)
        let result = try normalizer.normalize(Array(body.utf8))
        XCTAssertEqual(result.failures.map(\.error),
                       ["entry[0].changes[0].value.messages[0].from or from_user_id is required"])
    }

    func testListReplyTemplateButtonDocumentAndRemovedReaction() throws {
        let body = WhatsAppFixtures.envelope(messages: #"""
            [{"from": "6012", "id": "wamid.L", "timestamp": "1", "type": "interactive",
              "interactive": {"type": "list_reply",
                              "list_reply": {"id": "opt_2", "title": "Billing", "description": "Invoices, refunds"}}},
             {"from": "6012", "id": "wamid.B", "timestamp": "2", "type": "button",
              "context": {"from": "15550783881", "id": "wamid.TEMPLATE-1"},
              "button": {"payload": "STOP_PROMOS", "text": "Stop promotions"}},
             {"from": "6012", "id": "wamid.D", "timestamp": "3", "type": "document",
              "document": {"id": "998877", "filename": "invoice-2026-01.pdf", "mime_type": "application/pdf",
                           "sha256": "abc"}},
             {"from": "6012", "id": "wamid.R", "timestamp": "4", "type": "reaction",
              "reaction": {"message_id": "wamid.OUT-1", "emoji": ""}},
             {"from": "6012", "id": "wamid.F", "timestamp": "5", "type": "interactive",
              "interactive": {"type": "nfm_reply", "nfm_reply": {"response_json": "{\"rating\":4}", "name": "flow"}}},
             {"from": "6012", "id": "wamid.U", "timestamp": "6", "type": "unsupported",
              "errors": [{"code": 131051, "title": "Message type unknown"}]}]
            """#)
        let result = try normalizer.normalize(Array(body.utf8))
        XCTAssertEqual(result.failures, [])

        let list = try result.message("wamid.L")
        XCTAssertEqual(list.interactive, InboundInteractiveReply(kind: .listReply, id: "opt_2", title: "Billing",
                                                                 description: "Invoices, refunds"))
        let button = try result.message("wamid.B")
        XCTAssertEqual(button.button, InboundButtonReply(payload: "STOP_PROMOS", text: "Stop promotions"))
        XCTAssertEqual(button.contextMessageID, "wamid.TEMPLATE-1")
        XCTAssertEqual(button.displayText, "Stop promotions")
        let document = try result.message("wamid.D")
        XCTAssertEqual(document.media, InboundMedia(id: "998877", mimeType: "application/pdf", sha256: "abc",
                                                    filename: "invoice-2026-01.pdf"))
        XCTAssertEqual(try result.message("wamid.R").reaction, InboundReaction(messageID: "wamid.OUT-1"))
        let flow = try result.message("wamid.F")
        XCTAssertEqual(flow.interactive, InboundInteractiveReply(kind: .other("nfm_reply")))
        XCTAssertEqual(flow.raw?["interactive"]?["nfm_reply"]?["name"], "flow")
        let unsupported = try result.message("wamid.U")
        XCTAssertEqual(unsupported.type, .unsupported)
        XCTAssertEqual(unsupported.raw?["errors"]?.arrayValue?.first?["code"], 131_051)
    }

    func testAKnownTypeWhoseContentMetaExplainsWithErrorsIsKept() throws {
        let body = WhatsAppFixtures.envelope(messages: #"""
            [{"from": "6012", "id": "wamid.I", "timestamp": "1", "type": "interactive",
              "errors": [{"code": 131051, "title": "Message type unknown",
                          "error_data": {"details": "Message type is currently not supported."}}]}]
            """#)
        let result = try normalizer.normalize(Array(body.utf8))
        XCTAssertEqual(result.failures, [])
        let message = try result.message("wamid.I")
        XCTAssertEqual(message.type, .interactive)
        XCTAssertNil(message.interactive)
        XCTAssertEqual(message.errors, [InboundError(code: 131_051, title: "Message type unknown",
                                                     details: "Message type is currently not supported.")])
        XCTAssertNotNil(message.raw, "the raw copy keeps what Meta sent")
        XCTAssertEqual(try InboundEvent(json: InboundEvent.message(message).toJSON()), .message(message),
                       "the errors survive the trip through the inbox")
    }

    func testErrorsThatAreNotObjectsAreNamed() throws {
        let body = WhatsAppFixtures.envelope(messages: #"""
            [{"from": "6012", "id": "wamid.J", "timestamp": "1", "type": "unsupported", "errors": ["broken"]}]
            """#)
        let result = try normalizer.normalize(Array(body.utf8))
        XCTAssertEqual(result.failures.map(\.error),
                       ["entry[0].changes[0].value.messages[0].errors[0] must be an object, got string"])
    }

    func testAnOrderAndSharedContactsAreTypedContent() throws {
        let body = WhatsAppFixtures.envelope(messages: #"""
            [{"from": "6012", "id": "wamid.O", "timestamp": "1", "type": "order",
              "order": {"catalog_id": "CAT-1", "text": "Deliver to Bangsar please", "product_items": [
                {"product_retailer_id": "PAPER-80MM", "quantity": 3, "item_price": 12.5, "currency": "MYR"},
                {"product_retailer_id": "SCANNER", "quantity": "1"}]}},
             {"from": "6012", "id": "wamid.C", "timestamp": "2", "type": "contacts",
              "contacts": [{"name": {"formatted_name": "Ahmad Faiz", "first_name": "Ahmad"},
                            "phones": [{"phone": "+60 17-778 8899", "wa_id": "60177788899", "type": "CELL"}],
                            "emails": [{"email": "faiz@example.com", "type": "WORK"}]}]},
             {"from": "6012", "id": "wamid.BAD", "timestamp": "3", "type": "order",
              "order": {"catalog_id": "CAT-1", "product_items": [{"quantity": "lots"}]}}]
            """#)
        let result = try normalizer.normalize(Array(body.utf8))
        let order = try result.message("wamid.O")
        XCTAssertEqual(order.order, InboundOrder(catalogID: "CAT-1", text: "Deliver to Bangsar please", items: [
            InboundOrder.Item(productID: "PAPER-80MM", quantity: 3, price: 12.5, currency: "MYR"),
            InboundOrder.Item(productID: "SCANNER", quantity: 1),
        ]))
        XCTAssertEqual(order.displayText, "Deliver to Bangsar please")
        XCTAssertNil(order.raw, "an order is modelled, not kept raw")
        XCTAssertEqual(try result.message("wamid.C").sharedContacts, [InboundSharedContact(
            name: "Ahmad Faiz", phones: ["+60 17-778 8899"], emails: ["faiz@example.com"])])
        let path = "entry[0].changes[0].value.messages[2].order.product_items[0]"
        XCTAssertEqual(result.failures.map(\.error),
                       ["\(path).product_retailer_id is required; \(path).quantity must be a whole number"])
        for message in ["wamid.O", "wamid.C"] {
            let event = InboundEvent.message(try result.message(message))
            XCTAssertEqual(try InboundEvent(json: event.toJSON()), event, "\(message) survives the inbox")
        }
    }

    func testACallPermissionReplyIsTyped() throws {
        let body = WhatsAppFixtures.envelope(messages: #"""
            [{"from": "6012", "id": "wamid.P", "timestamp": "1", "type": "interactive",
              "interactive": {"type": "call_permission_reply", "call_permission_reply": {
                "response": "accept", "expiration_timestamp": 1767830400, "response_source": "user_action"}}}]
            """#)
        let result = try normalizer.normalize(Array(body.utf8))
        XCTAssertEqual(result.failures, [])
        let reply = try result.message("wamid.P")
        XCTAssertEqual(reply.interactive, InboundInteractiveReply(kind: .callPermissionReply, response: "accept",
                                                                  expiresAt: 1_767_830_400))
        XCTAssertNil(reply.raw, "modelled, not kept raw")
        XCTAssertEqual(try InboundEvent(json: InboundEvent.message(reply).toJSON()), .message(reply))
    }

    func testKnownTypeWithoutItsContentIsPoison() throws {
        let body = WhatsAppFixtures.envelope(messages: #"""
            [{"from": "6012", "id": "wamid.I", "timestamp": "1", "type": "image"},
             {"from": "6012", "id": "wamid.S", "timestamp": "2", "type": "system", "system": {"type": "user_changed_user_id"}}]
            """#)
        let result = try normalizer.normalize(Array(body.utf8))
        XCTAssertEqual(result.items, [])
        let path = "entry[0].changes[0].value.messages"
        XCTAssertEqual(result.failures.map(\.error), [
            "\(path)[0].image is required",
            "\(path)[1].system.user_id is required for user_changed_user_id",
        ])
    }

    func testOtherSystemNoticeIsKeptAsASystemMessage() throws {
        let body = WhatsAppFixtures.envelope(messages: #"""
            [{"from": "6012", "id": "wamid.SYS", "timestamp": "1", "type": "system",
              "system": {"body": "Security code changed", "type": "customer_identity_changed", "identity": "abc"}}]
            """#)
        let message = try normalizer.normalize(Array(body.utf8)).message("wamid.SYS")
        XCTAssertEqual(message.type, .system)
        XCTAssertEqual(message.text, "Security code changed")
        XCTAssertEqual(message.raw?["system"]?["identity"], "abc")
    }
}
