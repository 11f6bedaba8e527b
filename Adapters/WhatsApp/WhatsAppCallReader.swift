import Delivery
import GatewayKit

/// Reads the `value` of a `calls` change: `calls[]` (`{"id", "from", "to", "event": "connect"|"terminate",
/// "direction": "USER_INITIATED"|"BUSINESS_INITIATED", "timestamp", "status"?, "start_time"?, "end_time"?,
/// "duration"?}`) and, for calls the business placed, `statuses[]` of `type: "call"` (`{"id", "status": "RINGING"|
/// "ACCEPTED"|"REJECTED", "timestamp", "recipient_id"}`). The customer is `from` of a call they placed, `to` of one
/// the business placed.
enum WhatsAppCallReader {
    static func read(_ object: [String: JSONValue], path: String, context: WhatsAppChangeContext)
        -> Result<InboundCall, WhatsAppElementError> {
        var fields = WhatsAppFields(object, prefix: path)
        let id = fields.requiredString("id")
        let event = fields.requiredString("event")
        let timestamp = fields.requiredUnixTime("timestamp")
        let customerCalled = fields.optionalString("direction") != "BUSINESS_INITIATED"
        let customerKey = customerCalled ? "from" : "to"
        let phone = fields.optionalID(customerKey)
        let status = readStatus(&fields)
        let startedAt = fields.optionalUnixTime("start_time")
        let endedAt = fields.optionalUnixTime("end_time")
        let duration = fields.optionalInteger("duration")
        if phone == nil, fields.errors.isEmpty { fields.fail(customerKey, "is required") }
        guard fields.errors.isEmpty, let id, let event, let timestamp else {
            return .failure(WhatsAppElementError(fields.errors))
        }
        return .success(InboundCall(callID: id, channelID: context.phoneNumberID, accountID: context.wabaID,
                                    customerPhone: phone, customerCalled: customerCalled, event: event,
                                    status: status, startedAt: startedAt, endedAt: endedAt, duration: duration,
                                    timestamp: timestamp))
    }

    /// A progress report of a call the business placed; nil for statuses of messages (they are not calls).
    static func readStatus(_ object: [String: JSONValue], path: String, context: WhatsAppChangeContext)
        -> Result<InboundCall?, WhatsAppElementError> {
        guard object["type"]?.stringValue == "call" else { return .success(nil) }
        var fields = WhatsAppFields(object, prefix: path)
        let id = fields.requiredString("id")
        let status = fields.requiredString("status")
        let timestamp = fields.requiredUnixTime("timestamp")
        let phone = fields.requiredString("recipient_id")
        guard fields.errors.isEmpty, let id, let status, let timestamp, let phone else {
            return .failure(WhatsAppElementError(fields.errors))
        }
        return .success(InboundCall(callID: id, channelID: context.phoneNumberID, accountID: context.wabaID,
                                    customerPhone: phone, customerCalled: false, event: "status", status: status,
                                    timestamp: timestamp))
    }

    /// `status`: a string, or (as some terminate reports have it) an array whose first element is the outcome.
    private static func readStatus(_ fields: inout WhatsAppFields) -> String? {
        if let list = fields.member("status")?.arrayValue { return list.first?.stringValue }
        return fields.optionalString("status")
    }
}
