import GatewayKit
/// A snapshot of who a WhatsApp user is, as the source described them alongside a message or status: the identity
/// input for contact resolution (BSUID first, then phone, then username).
public struct InboundContact: Sendable, Equatable {
    /// The business number whose webhook carried the snapshot.
    public var phoneNumberID: String
    /// The business account; BSUIDs are scoped to its business portfolio.
    public var wabaID: String
    /// The user's WhatsApp id, normally their phone digits (WhatsApp `wa_id`); nil for BSUID-only users.
    public var waID: String?
    /// Business-scoped user id (WhatsApp `user_id`).
    public var userID: String?
    /// Parent BSUID (WhatsApp `parent_user_id`), when parent BSUIDs are enabled.
    public var parentUserID: String?
    public var profileName: String?
    /// WhatsApp username (`profile.username`), when the user adopted one.
    public var username: String?

    public init(phoneNumberID: String, wabaID: String, waID: String? = nil, userID: String? = nil,
                parentUserID: String? = nil, profileName: String? = nil, username: String? = nil) {
        self.phoneNumberID = phoneNumberID
        self.wabaID = wabaID
        self.waID = waID
        self.userID = userID
        self.parentUserID = parentUserID
        self.profileName = profileName
        self.username = username
    }

    /// The stored payload of a `contact` item: `{"phone_number_id", "waba_id", "wa_id"?, "user_id"?,
    /// "parent_user_id"?, "profile_name"?, "username"?}`.
    func jsonFields() -> [String: JSONValue] {
        var o: [String: JSONValue] = ["phone_number_id": .string(phoneNumberID), "waba_id": .string(wabaID)]
        o.put("wa_id", waID)
        o.put("user_id", userID)
        o.put("parent_user_id", parentUserID)
        o.put("profile_name", profileName)
        o.put("username", username)
        return o
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(phoneNumberID: try r.string("phone_number_id"), wabaID: try r.string("waba_id"),
                  waID: try r.optionalString("wa_id"), userID: try r.optionalString("user_id"),
                  parentUserID: try r.optionalString("parent_user_id"),
                  profileName: try r.optionalString("profile_name"), username: try r.optionalString("username"))
    }
}
