import Delivery
import GatewayKit

/// Reads one element of `value.contacts[]`: who sent (or received) the messages of the change. Meta adds `user_id`
/// (BSUID), `parent_user_id` and `profile.username` and may leave out `wa_id` for users who adopted a username.
enum WhatsAppContactReader {
    static func read(_ object: [String: JSONValue], path: String, context: WhatsAppChangeContext)
        -> Result<InboundContact, WhatsAppElementError> {
        var fields = WhatsAppFields(object, prefix: path)
        let waID = fields.optionalID("wa_id")
        let userID = fields.optionalID("user_id")
        let parentUserID = fields.optionalID("parent_user_id")
        var profileName: String?
        var username: String?
        if let profile = fields.optionalObject("profile") {
            var profileFields = WhatsAppFields(profile, prefix: fields.path("profile"))
            profileName = profileFields.optionalString("name")
            username = profileFields.optionalID("username")
            fields.merge(profileFields)
        }
        if waID == nil, userID == nil, fields.errors.isEmpty {
            // Without either id the snapshot cannot be attached to anyone.
            fields.fail("wa_id", "or user_id is required")
        }
        guard fields.errors.isEmpty else { return .failure(WhatsAppElementError(fields.errors)) }
        return .success(InboundContact(channelID: context.phoneNumberID, accountID: context.wabaID, waID: waID,
                                       userID: userID, parentUserID: parentUserID, profileName: profileName,
                                       username: username))
    }

    /// The contact describing a message sender or status recipient: matched by BSUID first, then by phone, the same
    /// priority identity resolution uses.
    static func match(userID: String?, phone: String?, in contacts: [InboundContact]) -> InboundContact? {
        if let userID, let byUserID = contacts.first(where: { $0.userID == userID }) { return byUserID }
        if let phone, let byPhone = contacts.first(where: { $0.waID == phone }) { return byPhone }
        return nil
    }
}
