import GatewayKit

/// The body of a booking (`POST /v1/tickets/{id}/onboarding {"slot", "owner"}`) or a reschedule (`PATCH`, `owner`
/// optional): `slot` is the RFC 3339 start of one of ``OnboardingCalendar``'s slots, `owner` the Merchant Success
/// user who runs the session (1–100 characters). Every problem is named at once.
public struct OnboardingRequest: Sendable, Equatable {
    public let start: Int64
    public let owner: String?

    public static func read(_ body: JSONValue, ownerRequired: Bool) -> Result<OnboardingRequest, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object, got \(body.typeName)")]))
        }
        var fields = FieldValidator(object)
        fields.rejectUnknownKeys(allowed: ["slot", "owner"])
        let start = fields.requiredString("slot").flatMap { text -> Int64? in
            guard let start = OnboardingCalendar.instant(text) else {
                fields.fail("slot", "must be an RFC 3339 time such as 2026-07-07T10:00:00+08:00")
                return nil
            }
            return start
        }
        let owner = fields.boundedString("owner", maxLength: 100)
        if ownerRequired, object["owner"] == nil { fields.fail("owner", "is required") }
        guard fields.errors.isEmpty, let start else { return .failure(.validation(fields.errors)) }
        return .success(OnboardingRequest(start: start, owner: owner))
    }
}
