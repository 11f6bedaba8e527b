import GatewayKit
/// Why a WhatsApp send was refused before anything was written. Field names are those of the admin API body
/// (`to`, `text`, `template.name`, `list.sections[0].rows[2].title`), so Swift callers and HTTP clients read the same
/// thing; ``GatewayError/init(_:)-(WhatsAppSendError)`` maps each case to its HTTP answer.
public enum WhatsAppSendError: Error, Sendable, Equatable {
    /// Values the Cloud API would refuse (recipient, text length, list limits, parameter text, purpose, ...).
    case invalidFields([FieldError])
    case unknownTemplate(String)
    /// The template has no approved text in `language`.
    case unknownLanguage(template: String, language: String, available: [String])
    case parameterCount(template: String, expected: Int, given: Int)
    /// The idempotency key was used before for a different message.
    case idempotencyConflict(key: String, messageID: Int64)
    /// A setting the send needs is missing (e.g. `WHATSAPP_PHONE_NUMBER_ID`).
    case notConfigured(String)
    /// A marketing template to a customer who stopped marketing messages (WhatsApp "Stop promotions").
    case consentWithdrawn(recipient: String, template: String)
    /// Meta reported the template in this language as anything but approved (paused, rejected, disabled, …).
    case templateNotApproved(template: String, language: String, status: String, reason: String?)

    /// The fields at fault, for a 400.
    public var fieldErrors: [FieldError] {
        switch self {
        case .invalidFields(let errors):
            return errors
        case .unknownTemplate(let name):
            return [FieldError(field: "template.name", message: "no template named \(name) is loaded")]
        case .unknownLanguage(let template, let language, let available):
            return [FieldError(field: "template.language", message: "\(template) has no \(language) text "
                               + "(available: \(available.joined(separator: ", ")))")]
        case .parameterCount(let template, let expected, let given):
            return [FieldError(field: "template.parameters",
                               message: "\(template) takes \(expected) parameters, \(given) given")]
        case .idempotencyConflict, .notConfigured, .consentWithdrawn, .templateNotApproved:
            return []
        }
    }
}

extension WhatsAppSendError {
    /// Why a send was refused for its recipient or its template, as `gateway_whatsapp_sends_refused_total` counts it:
    /// `consent_withdrawn` (a marketing template to a customer who stopped marketing messages),
    /// `template_not_sendable` (paused, rejected or disabled by Meta); nil for a malformed request.
    var refusal: String? {
        switch self {
        case .consentWithdrawn: return "consent_withdrawn"
        case .templateNotApproved: return "template_not_sendable"
        default: return nil
        }
    }
}
