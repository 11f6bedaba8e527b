import GatewayKit
extension GatewayError {
    /// The HTTP meaning of a refused WhatsApp send: field errors are a 400 naming each field, a reused
    /// idempotency key, a marketing message to a customer who stopped them or a template Meta has not approved a 409,
    /// a missing setting a 503.
    public init(_ error: WhatsAppSendError) {
        switch error {
        case .idempotencyConflict(let key, let messageID):
            self = .conflict("Idempotency-Key \(key) was used for another message (id \(messageID))")
        case .consentWithdrawn(let recipient, let template):
            self = .conflict("\(recipient) stopped marketing messages; \(template) is a MARKETING template")
        case .templateNotApproved(let template, let language, let status, let reason):
            self = .conflict("template \(template) (\(language)) is \(status) at Meta"
                             + (reason.map { ", reason \($0)" } ?? "") + "; it is sent again once Meta approves it")
        case .notConfigured(let setting):
            self = .notConfigured(setting)
        case .invalidFields, .unknownTemplate, .unknownLanguage, .parameterCount:
            self = .validation(error.fieldErrors)
        }
    }
}
