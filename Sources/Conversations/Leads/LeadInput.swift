import GatewayKit
import Identity

/// A lead entered by hand (`POST /v1/leads`), from a phone call or a fair: `{"phone", "name"?, "business"?,
/// "interest"?, "source"?}`. `phone` is required (an international number, `+` optional); `source` (default
/// `manual`, at most 60 characters) says where the lead came from. Every problem is named at once.
public struct LeadInput: Sendable, Equatable {
    public static let maxSourceLength = 60

    /// Digits only, as WhatsApp writes numbers.
    public let phone: String
    public let name: String?
    public let business: String?
    public let interest: String?
    public let source: String

    public static func read(_ body: JSONValue) -> Result<LeadInput, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object, got \(body.typeName)")]))
        }
        var fields = FieldValidator(object)
        fields.rejectUnknownKeys(allowed: ["phone", "name", "business", "interest", "source"])
        let phone = fields.requiredString("phone").flatMap { text -> String? in
            guard let phone = IdentifierFormat.phone(text) else {
                fields.fail("phone", "must be an international phone number (+ and 7-15 digits)")
                return nil
            }
            return phone
        }
        let name = fields.boundedString("name", maxLength: Lead.maxNameLength)
        let business = fields.boundedString("business", maxLength: Lead.maxBusinessLength)
        let interest = fields.boundedString("interest", maxLength: Lead.maxInterestLength)
        let source = fields.boundedString("source", maxLength: maxSourceLength) ?? "manual"
        guard fields.errors.isEmpty, let phone else { return .failure(.validation(fields.errors)) }
        return .success(LeadInput(phone: phone, name: name, business: business, interest: interest, source: source))
    }

    /// The contact `source` field's option this lead's source would name, spelt the way options are (`phone_call`
    /// → "Phone call", `web form` → "Web form").
    var contactSource: String {
        let spoken = String(source.map { $0 == "_" ? " " : $0 }).lowercased()
        return spoken.prefix(1).uppercased() + spoken.dropFirst()
    }
}
