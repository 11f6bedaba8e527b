import GatewayKit
import Identity
/// Who a WhatsApp message goes to: a phone number (international digits, sent as `to`) or a business-scoped user id
/// (sent as `recipient`, for users known only by BSUID; Meta prefers phone numbers when both are known).
public enum WhatsAppRecipient: Sendable, Equatable, Hashable {
    case phone(String)
    case bsuid(String)

    /// A phone (`+60 12-345 6789` → `60123456789`) or a BSUID (`MY.1234567890`), else nil.
    public init?(parsing text: String) {
        if let phone = IdentifierFormat.phone(text) {
            self = .phone(phone)
        } else if let bsuid = IdentifierFormat.bsuid(text) {
            self = .bsuid(bsuid)
        } else {
            return nil
        }
    }

    /// The stored and displayed value: digits or the BSUID.
    public var value: String {
        switch self {
        case .phone(let digits): return digits
        case .bsuid(let bsuid): return bsuid
        }
    }

    /// `phone` or `bsuid` (the `recipient_type` column).
    public var kind: String {
        switch self {
        case .phone: return "phone"
        case .bsuid: return "bsuid"
        }
    }
}
