import Delivery
import GatewayKit

/// Reads the `value` of an account health change: `account_update` (`event`: `ACCOUNT_RESTRICTION`,
/// `ACCOUNT_VIOLATION`, `DISABLED_UPDATE`, `ACCOUNT_OFFBOARDED`, `VERIFIED_ACCOUNT`, …, with `restriction_info`,
/// `violation_info`, `ban_info` as the case may be) or `phone_number_quality_update` (`event`: `FLAGGED`,
/// `UNFLAGGED`, `UPGRADE`, `DOWNGRADE`, with `current_limit`). The whole value is kept as the update's detail. A
/// report without an `event` (a kind Meta added that has none) is nil: counted as unhandled, never failed.
enum WhatsAppAccountUpdateReader {
    static let fields: Set<String> = ["account_update", "phone_number_quality_update"]

    static func read(_ field: String, _ value: [String: JSONValue], path: String, wabaID: String, time: Int64?)
        -> Result<InboundAccountUpdate?, WhatsAppElementError> {
        var fields = WhatsAppFields(value, prefix: path)
        let event = fields.optionalString("event")
        let phone = fields.optionalString("display_phone_number") ?? fields.optionalString("phone_number")
        guard fields.errors.isEmpty else { return .failure(WhatsAppElementError(fields.errors)) }
        return .success(event.map {
            InboundAccountUpdate(accountID: wabaID, topic: field, event: $0, phoneNumber: phone, timestamp: time,
                                 detail: .object(value))
        })
    }
}
