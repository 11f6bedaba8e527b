import GatewayKit

/// Builds WhatsApp Cloud API webhook bodies for generated traffic: one text message with its contact, or one
/// identity-change system message. Omitted identifiers are left out of the JSON, like Meta does.
package enum WhatsAppBodyBuilder {
    package static func message(id: String, phone: String?, bsuid: String?, username: String? = nil, name: String? = nil,
                        timestamp: Int64, text: String = "hello") -> [UInt8] {
        message(id: id, phone: phone, bsuid: bsuid, username: username, name: name, timestamp: timestamp,
                type: "text", content: ["body": .string(text)])
    }

    /// A message of any type: `content` is the object under the type's own key (`"image": {...}`); `extra` adds
    /// message members such as `context` or `referral`.
    package static func message(id: String, phone: String?, bsuid: String?, username: String? = nil, name: String? = nil,
                        timestamp: Int64, type: String, content: JSONValue,
                        extra: [String: JSONValue] = [:]) -> [UInt8] {
        var profile: [String: JSONValue] = [:]
        profile.putIfPresent("name", name)
        profile.putIfPresent("username", username)
        var contact: [String: JSONValue] = ["profile": .object(profile)]
        contact.putIfPresent("wa_id", phone)
        contact.putIfPresent("user_id", bsuid)
        var message: [String: JSONValue] = ["id": .string(id), "timestamp": .string(String(timestamp)),
                                            "type": .string(type), type: content]
        message.putIfPresent("from", phone)
        message.putIfPresent("from_user_id", bsuid)
        message.merge(extra) { _, added in added }
        return envelope(["contacts": [.object(contact)], "messages": [.object(message)]])
    }

    package static func identityChange(id: String, type: String, fromPhone: String?, fromBSUID: String?,
                               newPhone: String?, newBSUID: String?, timestamp: Int64) -> [UInt8] {
        var system: [String: JSONValue] = ["type": .string(type), "body": "changed"]
        system.putIfPresent("wa_id", newPhone)
        system.putIfPresent("user_id", newBSUID)
        system.putIfPresent("previous_user_id", fromBSUID)
        var message: [String: JSONValue] = ["id": .string(id), "timestamp": .string(String(timestamp)),
                                            "type": "system", "system": .object(system)]
        message.putIfPresent("from", fromPhone)
        message.putIfPresent("from_user_id", fromBSUID)
        return envelope(["messages": [.object(message)]])
    }

    /// Delivery reports (`value.statuses[]`), e.g. from ``status(_:_:at:errorCode:)``.
    package static func statuses(_ statuses: [JSONValue]) -> [UInt8] {
        envelope(["statuses": .array(statuses)])
    }

    /// One status report for `wamid` at unix second `at`, with Meta's error object when `errorCode` is given.
    package static func status(_ wamid: String, _ status: String, at: Int64, errorCode: Int64? = nil,
                       errorTitle: String = "Message undeliverable") -> JSONValue {
        var report: [String: JSONValue] = ["id": .string(wamid), "status": .string(status),
                                           "timestamp": .string(String(at)), "recipient_id": "60123456789"]
        if let errorCode {
            report["errors"] = [["code": .integer(errorCode), "title": .string(errorTitle),
                                 "message": .string(errorTitle),
                                 "error_data": ["details": "Message failed to send."]]]
        }
        return .object(report)
    }

    /// A customer's stop (`value: "stop"`) or resume of marketing messages at unix second `at`, as Meta sends it
    /// (`field: user_preferences`).
    package static func marketingPreference(_ value: String, phone: String?, bsuid: String? = nil,
                                            at: Int64) -> [UInt8] {
        var preference: [String: JSONValue] = [
            "category": "marketing_messages", "value": .string(value), "timestamp": .integer(at),
            "detail": .string(value == "stop" ? "User requested to stop marketing messages"
                                              : "User requested to resume marketing messages"),
        ]
        preference.putIfPresent("wa_id", phone)
        preference.putIfPresent("user_id", bsuid)
        var contact: [String: JSONValue] = ["profile": ["name": "Siti"]]
        contact.putIfPresent("wa_id", phone)
        return envelope(["contacts": [.object(contact)], "user_preferences": [.object(preference)]],
                        field: "user_preferences")
    }

    /// Meta's word on template `name` in `language` (id `templateID`) sent at unix second `time`: `field` is
    /// `message_template_status_update` (`value` the new status), `template_quality_update` (the new quality score)
    /// or `template_category_update` (the new category).
    package static func templateUpdate(_ field: String, _ value: String, name: String, language: String,
                                       templateID: Int64 = 1_234_567_890, time: Int64, reason: String? = nil) -> [UInt8] {
        var change: [String: JSONValue] = [
            "message_template_id": .integer(templateID), "message_template_name": .string(name),
            "message_template_language": .string(language),
        ]
        switch field {
        case "message_template_status_update":
            change["event"] = .string(value)
            change["reason"] = .string(reason ?? "NONE")
        case "template_quality_update":
            change["previous_quality_score"] = "GREEN"
            change["new_quality_score"] = .string(value)
        default:
            change["previous_category"] = "UTILITY"
            change["new_category"] = .string(value)
        }
        return JSONWriter.bytes(["object": "whatsapp_business_account",
                                 "entry": [["id": .string(WhatsAppFixtures.wabaID), "time": .integer(time),
                                            "changes": [["field": .string(field), "value": .object(change)]]]]])
    }

    private static func envelope(_ value: [String: JSONValue], field: String = "messages") -> [UInt8] {
        var v = value
        v["messaging_product"] = "whatsapp"
        v["metadata"] = ["display_phone_number": "15550783881", "phone_number_id": .string(WhatsAppFixtures.phoneNumberID)]
        let body: JSONValue = ["object": "whatsapp_business_account",
                               "entry": [["id": .string(WhatsAppFixtures.wabaID),
                                          "changes": [["field": .string(field), "value": .object(v)]]]]]
        return JSONWriter.bytes(body)
    }
}

package extension Dictionary where Key == String, Value == JSONValue {
    mutating func putIfPresent(_ key: String, _ value: String?) {
        if let value { self[key] = .string(value) }
    }
}
