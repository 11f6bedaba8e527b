import GatewayKit
/// A snapshot of who a WhatsApp user is, as the source described them alongside a message or status: the identity
/// input for contact resolution (BSUID first, then phone, then username).
public struct InboundContact: Sendable, Equatable {
    /// The business channel that received it: for WhatsApp the receiving number (`metadata.phone_number_id`).
    public var channelID: String
    /// The business account the channel belongs to, where the source has one (WhatsApp: the WABA id).
    public var accountID: String?
    /// The user's WhatsApp id, normally their phone digits (WhatsApp `wa_id`); nil for BSUID-only users.
    public var waID: String?
    /// Business-scoped user id (WhatsApp `user_id`).
    public var userID: String?
    /// Parent BSUID (WhatsApp `parent_user_id`), when parent BSUIDs are enabled.
    public var parentUserID: String?
    public var profileName: String?
    /// WhatsApp username (`profile.username`), when the user adopted one.
    public var username: String?

    public init(channelID: String, accountID: String?, waID: String? = nil, userID: String? = nil,
                parentUserID: String? = nil, profileName: String? = nil, username: String? = nil) {
        self.channelID = channelID
        self.accountID = accountID
        self.waID = waID
        self.userID = userID
        self.parentUserID = parentUserID
        self.profileName = profileName
        self.username = username
    }

    /// The stored payload of a `contact` item: `{"channel_id", "account_id"?, "wa_id"?, "user_id"?,
    /// "parent_user_id"?, "profile_name"?, "username"?}`.
    func jsonFields() -> [String: JSONValue] { .init(members: { members(kind: nil, $0) }) }

    /// The members of the stored payload with the event's `kind` (nil: without), keys in ``JSONWriter``'s order.
    func members(kind: String?, _ member: EventMember) {
        member("account_id", accountID.json)
        member("channel_id", .string(channelID))
        member("kind", kind.json)
        member("parent_user_id", parentUserID.json)
        member("profile_name", profileName.json)
        member("user_id", userID.json)
        member("username", username.json)
        member("wa_id", waID.json)
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(channelID: try r.string("channel_id", formerly: "phone_number_id"),
            accountID: try r.optionalString("account_id", formerly: "waba_id"),
                  waID: try r.optionalString("wa_id"), userID: try r.optionalString("user_id"),
                  parentUserID: try r.optionalString("parent_user_id"),
                  profileName: try r.optionalString("profile_name"), username: try r.optionalString("username"))
    }
}
