import Delivery
/// What one source says about who a user is: the input of ``IdentityResolver``. Values are already canonical
/// (see ``IdentifierFormat``); ``init(contact:at:)`` and ``init(sender:)`` build claims from inbound WhatsApp events.
public struct IdentityClaim: Sendable, Equatable {
    public var bsuid: String?
    public var parentBSUID: String?
    /// Digits only.
    public var phone: String?
    /// Lower case, without `@`.
    public var username: String?
    public var displayName: String?
    /// When the source says this was true (unix seconds): later facts win over earlier ones whatever order they
    /// arrive in.
    public var at: Int64

    public init(bsuid: String? = nil, parentBSUID: String? = nil, phone: String? = nil, username: String? = nil,
                displayName: String? = nil, at: Int64) {
        self.bsuid = bsuid
        self.parentBSUID = parentBSUID
        self.phone = phone
        self.username = username
        self.displayName = displayName
        self.at = at
    }

    /// A claim from a WhatsApp contact snapshot. Throws ``IdentityInputError`` naming the field for an unusable value
    /// (the item then fails alone); an unusable username is dropped instead, since it identifies nobody.
    public init(contact: InboundContact, at: Int64) throws(IdentityInputError) {
        try self.init(userID: contact.userID, parentUserID: contact.parentUserID, phone: contact.waID,
                      username: contact.username, profileName: contact.profileName, at: at)
    }

    /// A claim about a message's sender.
    public init(sender m: InboundMessage) throws(IdentityInputError) {
        try self.init(userID: m.senderUserID, parentUserID: m.senderParentUserID, phone: m.senderPhone,
                      username: m.username, profileName: m.profileName, at: m.timestamp)
    }

    /// A claim about a customer who stopped or resumed a category of messages.
    public init(preference p: InboundPreference) throws(IdentityInputError) {
        try self.init(userID: p.userID, parentUserID: nil, phone: p.phone, username: nil, profileName: nil,
                      at: p.timestamp)
    }

    /// A claim about the customer on a call: its caller, or the one the business called.
    public init(call: InboundCall) throws(IdentityInputError) {
        try self.init(userID: call.customerUserID, parentUserID: nil, phone: call.customerPhone, username: nil,
                      profileName: nil, at: call.timestamp)
    }

    private init(userID: String?, parentUserID: String?, phone: String?, username: String?, profileName: String?,
                 at: Int64) throws(IdentityInputError) {
        self.init(at: at)
        bsuid = try userID.map { id throws(IdentityInputError) in
            guard let v = IdentifierFormat.bsuid(id) else { throw IdentityInputError(field: "user_id", value: id) }
            return v
        }
        parentBSUID = parentUserID.flatMap(IdentifierFormat.bsuid)
        self.phone = try phone.map { p throws(IdentityInputError) in
            guard let v = IdentifierFormat.phone(p) else { throw IdentityInputError(field: "wa_id", value: p) }
            return v
        }
        self.username = username.flatMap(IdentifierFormat.inboundUsername)
        displayName = profileName.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// An inbound identity value that fails its format (see ``IdentifierFormat``).
public struct IdentityInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let value: String
    public var description: String { "\(field) is not a valid identifier: \(value.prefix(64))" }
}
