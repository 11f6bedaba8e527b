import GatewayKit
@testable import Identity
import XCTest

/// The CRM's `contact.identity_changed` event, written member by member, is exactly what the general writer writes for
/// the same object (the bytes the CRM received before).
final class IdentityOutboxEventBytesTests: XCTestCase {
    func testTheEventIsWhatTheGeneralWriterWrites() {
        let after: JSONValue = ["bsuid": "MY.1", "name": "Ana \"A\"\n", "phone": "60123", "retired": .bool(true)]
        let before: JSONValue = .string("é\u{1}")
        let changes: [(action: String, subject: String?, before: JSONValue?, after: JSONValue?)] = [
            ("customer.created", "cus_1", nil, after), ("phone.unbound", "60123\\", before, nil),
            ("customer.name_changed", nil, nil, "Ana"), ("customer.merged", "cus_2", before, after),
            ("bsuid.deleted", nil, nil, nil),
        ]
        let written = changes.map {
            IdentityOutboxEvent.change(action: $0.action, subject: $0.subject, before: $0.before.map(JSONWriter.bytes),
                                       after: $0.after.map(JSONWriter.bytes))
        }
        let objects: [JSONValue] = changes.map { change in
            var object: [String: JSONValue] = ["action": .string(change.action)]
            object.put("subject", change.subject)
            object.put("before", change.before)
            object.put("after", change.after)
            return .object(object)
        }
        for (mergedInto, count) in [(nil, 5), ("cus_9", 1), (nil, 0)] as [(String?, Int)] {
            var data: [String: JSONValue] = ["contact_id": "cus_1", "actor": "whatsapp:item:7 \"x\"",
                                             "changes": .array(Array(objects.prefix(count)))]
            data.put("merged_into", mergedInto)
            let expected = JSONWriter.bytes(["type": .string(IdentityOutboxEvent.type), "data": .object(data)])
            XCTAssertEqual(String(decoding: IdentityOutboxEvent.body(contactID: "cus_1", mergedInto: mergedInto,
                                                                     actor: "whatsapp:item:7 \"x\"",
                                                                     changes: Array(written.prefix(count))),
                                  as: UTF8.self),
                           String(decoding: expected, as: UTF8.self))
        }
    }
}
