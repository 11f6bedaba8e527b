/// Every way a request can fail, as the domain sees it. ``Problem/init(_:)`` maps each case to its HTTP status and
/// RFC 9457 body in one place; nothing else decides status codes for errors.
public enum GatewayError: Error, Sendable, Equatable {
    /// The body is not JSON (syntax, invalid UTF-8, too deep).
    case malformedJSON(JSONParseError)
    /// The body is JSON but fields are missing or of the wrong type.
    case validation([FieldError])
    /// Signature or credentials missing, wrong or stale.
    case unauthenticated(VerificationError)
    /// A bearer token is missing or wrong for an admin/API endpoint.
    case unauthorized(String)
    /// Authenticated (or handshake) but not allowed, e.g. a wrong WhatsApp verify token.
    case forbidden(String)
    case notFound(String)
    /// The thing existed and was removed for good (e.g. a media file past its retention): 410.
    case gone(String)
    case methodNotAllowed(allowed: [String])
    case payloadTooLarge(limit: Int)
    case conflict(String)
    /// A ticket cannot move between these workflow statuses (e.g. closed → open): 409 naming both.
    case invalidTransition(from: String, to: String)
    /// An identifier (`field`: phone, email, bsuid) requested for contact `contactID` already belongs to contact
    /// `conflictingContactID`: 409 naming both.
    case identifierConflict(field: String, value: String, contactID: String, conflictingContactID: String)
    /// A write would edit or delete a phone bound to a BSUID (such phones are read-only: editing one would break the identity mapping).
    case phoneLinkedToBSUID(phone: String, bsuid: String)
    /// The record changed since the caller read it (`If-Match` names an older version): 412 with the current one.
    case staleVersion(current: Int64)
    /// Someone else is handling the ticket (a soft claim until `until`, unix ms): 409 naming them.
    case claimedByAnother(holder: String, until: Int64)
    /// Too many attempts from this caller (sign-in guesses, a rate limit): 429, retry after the given seconds.
    case tooManyRequests(String, retryAfterSeconds: Int)
    /// The store could not commit; the delivery was NOT acknowledged and the sender should retry.
    case storeUnavailable(String)
    /// The write queue is full; retry shortly.
    case overloaded
    /// A setting the operation needs is missing (names it); the operator must fix the configuration.
    case notConfigured(String)
    /// A bug on our side. Never used for client mistakes.
    case internalError(String)
}
