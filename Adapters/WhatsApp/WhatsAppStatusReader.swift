import Delivery
import GatewayKit

/// Reads one element of `value.statuses[]`: a sent/delivered/read/played/failed report for a message the business
/// sent, with the conversation it opened or belongs to and how it is priced.
enum WhatsAppStatusReader {
    static func read(_ object: [String: JSONValue], path: String, context: WhatsAppChangeContext)
        -> Result<InboundStatus, WhatsAppElementError> {
        var fields = WhatsAppFields(object, prefix: path)
        let id = fields.requiredString("id")
        let state = fields.requiredString("status")
        let timestamp = fields.requiredUnixTime("timestamp")
        let recipientPhone = fields.optionalID("recipient_id")
        let recipientUserID = fields.optionalID("recipient_user_id")
        let recipientParentUserID = fields.optionalID("recipient_parent_user_id")

        var conversationID: String?
        var conversationOrigin: String?
        var conversationExpiresAt: Int64?
        if let conversation = fields.optionalObject("conversation") {
            var conversationFields = WhatsAppFields(conversation, prefix: fields.path("conversation"))
            conversationID = conversationFields.optionalString("id")
            conversationExpiresAt = conversationFields.optionalUnixTime("expiration_timestamp")
            if let origin = conversationFields.optionalObject("origin") {
                var originFields = WhatsAppFields(origin, prefix: conversationFields.path("origin"))
                conversationOrigin = originFields.optionalString("type")
                conversationFields.merge(originFields)
            }
            fields.merge(conversationFields)
        }
        var pricingCategory: String?
        var pricingModel: String?
        var billable: Bool?
        if let pricing = fields.optionalObject("pricing") {
            var pricingFields = WhatsAppFields(pricing, prefix: fields.path("pricing"))
            pricingCategory = pricingFields.optionalString("category")
            pricingModel = pricingFields.optionalString("pricing_model")
            billable = pricingFields.optionalBool("billable")
            fields.merge(pricingFields)
        }
        let errors = WhatsAppErrorsReader.read(&fields)

        guard fields.errors.isEmpty, let id, let state, let timestamp else {
            return .failure(WhatsAppElementError(fields.errors))
        }
        return .success(InboundStatus(
            messageID: id, channelID: context.phoneNumberID, accountID: context.wabaID,
            state: InboundStatus.State(rawValue: state), timestamp: timestamp, recipientPhone: recipientPhone,
            recipientUserID: recipientUserID, recipientParentUserID: recipientParentUserID,
            conversationID: conversationID, conversationOrigin: conversationOrigin,
            conversationExpiresAt: conversationExpiresAt, pricingCategory: pricingCategory, pricingModel: pricingModel,
            billable: billable, errors: errors))
    }
}
