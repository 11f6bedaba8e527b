import GatewayKit
import Identity
/// One outlet as stored: what the POS said about it (through an import, the daily pull or a push) plus its
/// franchise's name. Phones are canonical (``PhoneNumberFormat``: E.164 digits without `+`), sorted, unique; an
/// outlet without phones is valid but cannot be reminded or resolved from a WhatsApp sender.
public struct OutletRecord: Sendable, Equatable {
    public var oid: String
    public var fid: String
    public var franchiseName: String
    public var name: String
    public var phones: [String]
    /// The subscription's last day; in the past = overdue (the renewal phase decides what that means).
    public var expiryDate: CalendarDate
    public var status: OutletStatus
    /// IANA time zone of the outlet (quiet hours, local "today").
    public var timeZone: String
    /// Unix ms of the first time the gateway stored it, and of the last change.
    public var createdAt: Int64
    public var updatedAt: Int64

    /// The API form: `{"oid", "fid", "franchise_name", "name", "phones": ["+60…"], "expiry_date", "status",
    /// "time_zone", "created_at", "updated_at"}` (times RFC 3339 UTC).
    public var json: JSONValue {
        [
            "oid": .string(oid), "fid": .string(fid), "franchise_name": .string(franchiseName), "name": .string(name),
            "phones": .array(phones.map { .string(PhoneNumberFormat.display($0)) }),
            "expiry_date": .string(expiryDate.description), "status": .string(status.rawValue),
            "time_zone": .string(timeZone), "created_at": .string(Timestamps.rfc3339(createdAt)),
            "updated_at": .string(Timestamps.rfc3339(updatedAt)),
        ]
    }
}
