import GatewayKit
/// A user's identifier changed: a new phone number, or a new business-scoped user id (BSUID). Identity resolution moves
/// the customer's bindings from the previous identifiers to the new ones instead of creating a new customer.
///
/// WhatsApp regenerates the BSUID when a user changes their phone number, so a ``Change/phoneNumber`` may carry new
/// and previous BSUIDs as well; a ``Change/userID`` carries no phone at all.
public struct InboundIdentityChange: Sendable, Equatable {
    /// Which identifier changed.
    public enum Change: String, Sendable, Equatable, CaseIterable {
        /// WhatsApp system message `user_changed_number`.
        case phoneNumber = "user_changed_number"
        /// WhatsApp system message `user_changed_user_id`.
        case userID = "user_changed_user_id"
    }

    /// The system message's id; unique per change notice.
    public var messageID: String
    /// The business channel that received it: for WhatsApp the receiving number (`metadata.phone_number_id`).

    public var channelID: String
    /// The business account the channel belongs to, where the source has one (WhatsApp: the WABA id).

    public var accountID: String?
    /// When the change was reported, unix seconds.
    public var timestamp: Int64
    public var change: Change
    /// Human-readable notice, e.g. "User A changed from 60123456789 to 60198765432".
    public var body: String?
    /// The phone the user had (the system message's `from`).
    public var previousPhone: String?
    /// The phone the user has now (`system.wa_id`).
    public var newPhone: String?
    public var previousUserID: String?
    public var newUserID: String?
    public var previousParentUserID: String?
    public var newParentUserID: String?

    public init(messageID: String, channelID: String, accountID: String?, timestamp: Int64, change: Change,
                body: String? = nil, previousPhone: String? = nil, newPhone: String? = nil,
                previousUserID: String? = nil, newUserID: String? = nil, previousParentUserID: String? = nil,
                newParentUserID: String? = nil) {
        self.messageID = messageID
        self.channelID = channelID
        self.accountID = accountID
        self.timestamp = timestamp
        self.change = change
        self.body = body
        self.previousPhone = previousPhone
        self.newPhone = newPhone
        self.previousUserID = previousUserID
        self.newUserID = newUserID
        self.previousParentUserID = previousParentUserID
        self.newParentUserID = newParentUserID
    }

    /// The stored payload of an `identity_change` item: `{"id", "channel_id", "account_id"?, "timestamp",
    /// "change": "user_changed_number"|"user_changed_user_id", "body"?, "previous_phone"?, "new_phone"?,
    /// "previous_user_id"?, "new_user_id"?, "previous_parent_user_id"?, "new_parent_user_id"?}`.
    func jsonFields() -> [String: JSONValue] {
        var o: [String: JSONValue] = [
            "id": .string(messageID), "channel_id": .string(channelID),
            "timestamp": .integer(timestamp), "change": .string(change.rawValue),
        ]
        o.put("account_id", accountID)
        o.put("body", body)
        o.put("previous_phone", previousPhone)
        o.put("new_phone", newPhone)
        o.put("previous_user_id", previousUserID)
        o.put("new_user_id", newUserID)
        o.put("previous_parent_user_id", previousParentUserID)
        o.put("new_parent_user_id", newParentUserID)
        return o
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        let changeName = try r.string("change")
        guard let change = Change(rawValue: changeName) else {
            throw InboundEventDecodingError(
                path: r.path("change"),
                message: "must be one of \(Change.allCases.map(\.rawValue).joined(separator: ", ")), got \(changeName)")
        }
        self.init(
            messageID: try r.string("id"), channelID: try r.string("channel_id", formerly: "phone_number_id"),
            accountID: try r.optionalString("account_id", formerly: "waba_id"),
            timestamp: try r.int64("timestamp"), change: change,
            body: try r.optionalString("body"), previousPhone: try r.optionalString("previous_phone"),
            newPhone: try r.optionalString("new_phone"), previousUserID: try r.optionalString("previous_user_id"),
            newUserID: try r.optionalString("new_user_id"),
            previousParentUserID: try r.optionalString("previous_parent_user_id"),
            newParentUserID: try r.optionalString("new_parent_user_id"))
    }
}
