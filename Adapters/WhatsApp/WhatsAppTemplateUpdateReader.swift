import Delivery
import GatewayKit

/// Reads the `value` of a template change — `message_template_status_update` (`event`, `reason`),
/// `template_quality_update` (`new_quality_score`) or `template_category_update` (`new_category`) — each naming the
/// template by `message_template_id`, `message_template_name` and `message_template_language`. A category change
/// Meta only announces (`correct_category` without `new_category`) carries nothing to apply: nil.
enum WhatsAppTemplateUpdateReader {
    static let statusField = "message_template_status_update"
    static let qualityField = "template_quality_update"
    static let categoryField = "template_category_update"
    static let fields: Set<String> = [statusField, qualityField, categoryField]

    static func read(_ field: String, _ value: [String: JSONValue], path: String, wabaID: String, time: Int64?)
        -> Result<InboundTemplateUpdate?, WhatsAppElementError> {
        var fields = WhatsAppFields(value, prefix: path)
        let templateID = fields.requiredIdentifier("message_template_id")
        let name = fields.requiredString("message_template_name")
        let language = fields.requiredString("message_template_language")
        var update = InboundTemplateUpdate(accountID: wabaID, templateID: templateID ?? "", name: name ?? "",
                                           language: language ?? "", timestamp: time)
        switch field {
        case statusField:
            update.status = fields.requiredString("event")
            update.reason = fields.optionalString("reason")
        case qualityField:
            update.quality = fields.requiredString("new_quality_score")
        default:
            update.category = fields.optionalString("new_category")
        }
        guard fields.errors.isEmpty else { return .failure(WhatsAppElementError(fields.errors)) }
        let carriesChange = update.status != nil || update.quality != nil || update.category != nil
        return .success(carriesChange ? update : nil)
    }
}
