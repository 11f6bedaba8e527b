import Delivery
import GatewayKit

/// Reads one element of `value.user_preferences[]` (the change `field` `user_preferences`): a customer stopped or
/// resumed a category of messages in the chat — `{"wa_id", "user_id"?, "category": "marketing_messages",
/// "value": "stop"|"resume", "detail"?, "timestamp"}`. The customer must be named by `wa_id` or `user_id`.
enum WhatsAppPreferenceReader {
    static func read(_ object: [String: JSONValue], path: String, context: WhatsAppChangeContext)
        -> Result<InboundPreference, WhatsAppElementError> {
        var fields = WhatsAppFields(object, prefix: path)
        let phone = fields.optionalID("wa_id")
        let userID = fields.optionalID("user_id")
        let category = fields.requiredString("category")
        let value = fields.requiredString("value")
        let detail = fields.optionalString("detail")
        let timestamp = fields.requiredUnixTime("timestamp")
        if fields.member("wa_id") == nil, fields.member("user_id") == nil {
            fields.fail("wa_id", "or user_id is required")
        }
        guard fields.errors.isEmpty, let category, let value, let timestamp else {
            return .failure(WhatsAppElementError(fields.errors))
        }
        return .success(InboundPreference(channelID: context.phoneNumberID, accountID: context.wabaID, phone: phone,
                                          userID: userID, category: category,
                                          choice: InboundPreference.Choice(rawValue: value), detail: detail,
                                          timestamp: timestamp))
    }
}
