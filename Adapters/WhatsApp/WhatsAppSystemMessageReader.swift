import Delivery

/// What a `type: "system"` message announces.
enum WhatsAppSystemNotice: Sendable, Equatable {
    /// A user's phone number or BSUID changed; the identifiers are already resolved (see the reader).
    case identityChange(InboundIdentityChange.Change, body: String?, previousPhone: String?, newPhone: String?,
                        previousUserID: String?, newUserID: String?, previousParentUserID: String?,
                        newParentUserID: String?)
    /// Any other system notice; stored as an ordinary `system` message with its raw object.
    case other(body: String?)
}

/// Reads the `system` object of a system message. Field mapping (Meta, 2025–2026):
/// - `user_changed_number` (also the legacy `customer_changed_number`): previous phone = the message's `from`, new
///   phone = `system.wa_id` (legacy `system.new_wa_id`). Since a number change regenerates the BSUID, new and previous
///   BSUIDs are taken from `system.user_id` / `system.previous_user_id` when present.
/// - `user_changed_user_id`: new BSUID = `system.user_id`, previous BSUID = `system.previous_user_id`, falling back to
///   the message's `from_user_id` (the identity the business knew) when Meta omits it. Both are required: a BSUID
///   change that names only one side cannot be applied.
/// Parent BSUIDs follow the same pattern (`parent_user_id`, `previous_parent_user_id`, `from_parent_user_id`).
enum WhatsAppSystemMessageReader {
    static func read(from fields: inout WhatsAppFields, from senderPhone: String?, fromUserID: String?,
                     fromParentUserID: String?) -> WhatsAppSystemNotice? {
        guard let object = fields.requiredObject("system") else { return nil }
        var system = WhatsAppFields(object, prefix: fields.path("system"))
        defer { fields.merge(system) }
        let body = system.optionalString("body")
        let typeName = system.optionalString("type") ?? ""
        let newUserID = system.optionalID("user_id")
        let newParentUserID = system.optionalID("parent_user_id")
        // The sender's ids describe the user before the change; never report "changed from X to X".
        let previousUserID = system.optionalID("previous_user_id") ?? fromUserID.flatMap { $0 == newUserID ? nil : $0 }
        let previousParentUserID = system.optionalID("previous_parent_user_id")
            ?? fromParentUserID.flatMap { $0 == newParentUserID ? nil : $0 }

        switch typeName {
        case "user_changed_number", "customer_changed_number":
            let newPhone = system.optionalID("wa_id") ?? system.optionalID("new_wa_id")
            if newPhone == nil, system.errors.isEmpty { system.fail("wa_id", "is required for \(typeName)") }
            return .identityChange(.phoneNumber, body: body, previousPhone: senderPhone, newPhone: newPhone,
                                   previousUserID: previousUserID, newUserID: newUserID,
                                   previousParentUserID: previousParentUserID, newParentUserID: newParentUserID)
        case "user_changed_user_id":
            if newUserID == nil, system.errors.isEmpty { system.fail("user_id", "is required for user_changed_user_id") }
            if previousUserID == nil, system.errors.isEmpty {
                system.fail("previous_user_id", "or the message's from_user_id is required for user_changed_user_id")
            }
            return .identityChange(.userID, body: body, previousPhone: nil, newPhone: nil,
                                   previousUserID: previousUserID, newUserID: newUserID,
                                   previousParentUserID: previousParentUserID, newParentUserID: newParentUserID)
        default:
            return .other(body: body)
        }
    }
}
