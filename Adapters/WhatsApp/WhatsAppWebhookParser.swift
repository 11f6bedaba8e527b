import Delivery
import GatewayKit

/// One event found in a delivery, with where it was found.
struct WhatsAppParsedEvent: Sendable, Equatable {
    /// JSON path of the element the event was read from, e.g. `entry[0].changes[1].value.messages[0]`.
    let path: String
    let event: InboundEvent
    /// The event's own time; for contacts, the time of the first message or status of the change they describe.
    let occurredAt: Int64?
}

/// Everything read from a delivery: the events in document order, the elements that could not be read, and the
/// `field` of each change nothing here reads.
struct WhatsAppParseResult: Sendable, Equatable {
    var events: [WhatsAppParsedEvent] = []
    var failures: [ItemFailure] = []
    var unhandledFields: [String] = []
}

/// Walks a Meta Cloud API webhook delivery (every `entry[]`, every `changes[]`) and reads each element into an
/// ``InboundEvent``. A broken element becomes an ``ItemFailure`` with its JSON path and never stops its siblings; a
/// broken entry or change fails only itself.
///
/// Changes with `field == "messages"` carry messages, statuses and contacts; `smb_message_echoes` the messages a
/// person sent from the WhatsApp Business app on the same number; `user_preferences` changes carry a customer's stop
/// or resume of marketing messages; the template fields (status, quality, category) an update of one
/// template; `account_update` and `phone_number_quality_update` a report on the account's health. Changes for other
/// fields are skipped and named in
/// ``WhatsAppParseResult/unhandledFields``: nothing here consumes them yet, and the raw delivery stays in the inbox.
/// Within a change, events come out as contacts, then messages, then statuses, so a worker applying them in order
/// knows the sender's identity snapshot before their message.
enum WhatsAppWebhookParser {
    static let messagesField = "messages"
    static let preferencesField = "user_preferences"
    static let echoesField = "smb_message_echoes"
    static let callsField = "calls"
    /// The fields about one of the business's numbers: their value carries `metadata.phone_number_id`.
    static let channelFields: Set<String> = [messagesField, preferencesField, echoesField, callsField]

    static func parse(_ json: JSONValue) -> WhatsAppParseResult {
        var result = WhatsAppParseResult()
        guard case .object(let root) = json else {
            result.failures.append(ItemFailure(path: "", error: "body must be a JSON object, got \(json.typeName)",
                                               raw: json))
            return result
        }
        var fields = WhatsAppFields(root, prefix: "")
        guard let entries = fields.requiredArray("entry") else {
            result.failures.append(ItemFailure(path: "entry", error: WhatsAppElementError(fields.errors).description,
                                               raw: json))
            return result
        }
        for (index, entry) in entries.enumerated() {
            parseEntry(entry, path: "entry[\(index)]", into: &result)
        }
        return result
    }

    private static func parseEntry(_ entry: JSONValue, path: String, into result: inout WhatsAppParseResult) {
        guard case .object(let object) = entry else {
            result.failures.append(ItemFailure(path: path, error: "\(path) must be an object, got \(entry.typeName)",
                                               raw: entry))
            return
        }
        var fields = WhatsAppFields(object, prefix: path)
        let wabaID = fields.requiredIdentifier("id")
        let changes = fields.requiredArray("changes")
        guard fields.errors.isEmpty, let wabaID, let changes else {
            result.failures.append(ItemFailure(path: path, error: WhatsAppElementError(fields.errors).description,
                                               raw: entry))
            return
        }
        // When Meta sent the entry (unix seconds): the only time a template change carries.
        let time = object["time"]?.int64Value
        for (index, change) in changes.enumerated() {
            parseChange(change, path: "\(path).changes[\(index)]", wabaID: wabaID, time: time, into: &result)
        }
    }

    private static func parseChange(_ change: JSONValue, path: String, wabaID: String, time: Int64?,
                                    into result: inout WhatsAppParseResult) {
        guard case .object(let object) = change else {
            result.failures.append(ItemFailure(path: path, error: "\(path) must be an object, got \(change.typeName)",
                                               raw: change))
            return
        }
        var fields = WhatsAppFields(object, prefix: path)
        let field = fields.requiredString("field")
        let value = fields.requiredObject("value")
        var phoneNumberID: String?
        if let field, channelFields.contains(field), let value {
            var valueFields = WhatsAppFields(value, prefix: fields.path("value"))
            if let metadata = valueFields.requiredObject("metadata") {
                var metadataFields = WhatsAppFields(metadata, prefix: valueFields.path("metadata"))
                phoneNumberID = metadataFields.requiredIdentifier("phone_number_id")
                valueFields.merge(metadataFields)
            }
            fields.merge(valueFields)
        }
        guard fields.errors.isEmpty, let field, let value else {
            result.failures.append(ItemFailure(path: path, error: WhatsAppElementError(fields.errors).description,
                                               raw: change))
            return
        }
        if WhatsAppTemplateUpdateReader.fields.contains(field) {
            let update = WhatsAppTemplateUpdateReader.read(field, value, path: "\(path).value", wabaID: wabaID,
                                                           time: time)
            return record(update.map { $0.map(InboundEvent.templateUpdate) }, of: field, value, path: "\(path).value",
                          time: time, into: &result)
        }
        if WhatsAppAccountUpdateReader.fields.contains(field) {
            let update = WhatsAppAccountUpdateReader.read(field, value, path: "\(path).value", wabaID: wabaID,
                                                          time: time)
            return record(update.map { $0.map(InboundEvent.accountUpdate) }, of: field, value, path: "\(path).value",
                          time: time, into: &result)
        }
        guard channelFields.contains(field) else {
            result.unhandledFields.append(field)
            return
        }
        guard let phoneNumberID else { return }
        let context = WhatsAppChangeContext(wabaID: wabaID, phoneNumberID: phoneNumberID)
        if field == preferencesField {
            parsePreferences(value, path: "\(path).value", context: context, into: &result)
        } else if field == echoesField {
            parseEchoes(value, path: "\(path).value", context: context, into: &result)
        } else if field == callsField {
            parseCalls(value, path: "\(path).value", context: context, into: &result)
        } else {
            parseValue(value, path: "\(path).value", context: context, into: &result)
        }
    }

    /// Files what a whole-value reader made of a change: its event, its field as unhandled (nothing to apply), or a
    /// failure naming the value's path.
    private static func record(_ read: Result<InboundEvent?, WhatsAppElementError>, of field: String,
                               _ value: [String: JSONValue], path: String, time: Int64?,
                               into result: inout WhatsAppParseResult) {
        switch read {
        case .success(let event?): result.events.append(WhatsAppParsedEvent(path: path, event: event, occurredAt: time))
        case .success(nil): result.unhandledFields.append(field)
        case .failure(let error): result.failures.append(ItemFailure(path: path, error: error.description,
                                                                     raw: .object(value)))
        }
    }

    /// `value.message_echoes[]`: messages a person sent from the WhatsApp Business app on this number, read like
    /// customers' messages with the customer in `to` (a system notice is not an echo).
    private static func parseEchoes(_ value: [String: JSONValue], path: String, context: WhatsAppChangeContext,
                                    into result: inout WhatsAppParseResult) {
        let echoes = elements("message_echoes", of: value, path: path, into: &result) { object, elementPath in
            WhatsAppMessageReader.read(object, path: elementPath, context: context, contacts: [],
                                       customer: .recipient)
        }
        append(echoes, into: &result) { if case .message(let message) = $0 { .echo(message) } else { nil } }
    }

    /// `value.calls[]` (connect, terminate) and the `type: "call"` entries of `value.statuses[]`.
    private static func parseCalls(_ value: [String: JSONValue], path: String, context: WhatsAppChangeContext,
                                   into result: inout WhatsAppParseResult) {
        let calls = elements("calls", of: value, path: path, into: &result) { object, elementPath in
            WhatsAppCallReader.read(object, path: elementPath, context: context)
        }
        append(calls, into: &result) { .call($0) }
        let progress = elements("statuses", of: value, path: path, into: &result) { object, elementPath in
            WhatsAppCallReader.readStatus(object, path: elementPath, context: context)
        }
        append(progress, into: &result) { $0.map(InboundEvent.call) }
    }

    private static func parsePreferences(_ value: [String: JSONValue], path: String, context: WhatsAppChangeContext,
                                         into result: inout WhatsAppParseResult) {
        let preferences = elements("user_preferences", of: value, path: path, into: &result) { object, elementPath in
            WhatsAppPreferenceReader.read(object, path: elementPath, context: context)
        }
        append(preferences, into: &result) { .preference($0) }
    }

    /// Appends the events `found` elements make (those `event` gives one for), each at its own time.
    private static func append<T>(_ found: [(path: String, value: T)], into result: inout WhatsAppParseResult,
                                  _ event: (T) -> InboundEvent?) {
        for (elementPath, value) in found {
            guard let event = event(value) else { continue }
            result.events.append(WhatsAppParsedEvent(path: elementPath, event: event, occurredAt: event.occurredAt))
        }
    }

    private static func parseValue(_ value: [String: JSONValue], path: String, context: WhatsAppChangeContext,
                                   into result: inout WhatsAppParseResult) {
        let contacts = elements("contacts", of: value, path: path, into: &result) { object, elementPath in
            WhatsAppContactReader.read(object, path: elementPath, context: context)
        }
        let snapshots = contacts.map(\.value)
        var events: [WhatsAppParsedEvent] = []
        let messages = elements("messages", of: value, path: path, into: &result) { object, elementPath in
            WhatsAppMessageReader.read(object, path: elementPath, context: context, contacts: snapshots)
        }
        for (elementPath, event) in messages {
            events.append(WhatsAppParsedEvent(path: elementPath, event: event, occurredAt: event.occurredAt))
        }
        let statuses = elements("statuses", of: value, path: path, into: &result) { object, elementPath in
            WhatsAppStatusReader.read(object, path: elementPath, context: context)
        }
        for (elementPath, status) in statuses {
            events.append(WhatsAppParsedEvent(path: elementPath, event: .status(status), occurredAt: status.timestamp))
        }
        for (elementPath, contact) in contacts {
            result.events.append(WhatsAppParsedEvent(path: elementPath, event: .contact(contact),
                                                     occurredAt: firstTime(of: contact, in: events)))
        }
        result.events.append(contentsOf: events)
    }

    /// Reads every element of the array `key` with `read`; elements that fail are recorded, the rest returned with
    /// their paths. An absent array is empty; a member that is not an array fails as a whole.
    private static func elements<T>(
        _ key: String, of value: [String: JSONValue], path: String, into result: inout WhatsAppParseResult,
        _ read: ([String: JSONValue], String) -> Result<T, WhatsAppElementError>
    ) -> [(path: String, value: T)] {
        let arrayPath = "\(path).\(key)"
        guard let member = value[key], !member.isNull else { return [] }
        guard case .array(let array) = member else {
            result.failures.append(ItemFailure(path: arrayPath,
                                               error: "\(arrayPath) must be an array, got \(member.typeName)",
                                               raw: member))
            return []
        }
        var found: [(path: String, value: T)] = []
        for (index, element) in array.enumerated() {
            let elementPath = "\(arrayPath)[\(index)]"
            guard case .object(let object) = element else {
                result.failures.append(ItemFailure(
                    path: elementPath, error: "\(elementPath) must be an object, got \(element.typeName)", raw: element))
                continue
            }
            switch read(object, elementPath) {
            case .success(let value): found.append((elementPath, value))
            case .failure(let error):
                result.failures.append(ItemFailure(path: elementPath, error: error.description, raw: element))
            }
        }
        return found
    }

    /// When the contact was seen: the first message it sent or status about a message to it, in this change.
    private static func firstTime(of contact: InboundContact, in events: [WhatsAppParsedEvent]) -> Int64? {
        func isContact(phone: String?, userID: String?) -> Bool {
            if let userID, userID == contact.userID { return true }
            if let phone, phone == contact.waID { return true }
            return false
        }
        for parsed in events {
            switch parsed.event {
            case .message(let m) where isContact(phone: m.senderPhone, userID: m.senderUserID): return m.timestamp
            case .status(let s) where isContact(phone: s.recipientPhone, userID: s.recipientUserID): return s.timestamp
            default: continue
            }
        }
        return nil
    }
}
