import GatewayKit

extension InboundEvent {
    /// ``toJSON()`` as ``JSONWriter`` writes it, the same bytes: the kinds every delivery carries (messages, statuses,
    /// contacts) are written member by member without building the JSON tree; the others through it.
    public var payloadText: String {
        var object = JSONObjectWriter()
        switch self {
        case .message(let m): m.write(kind: "message", into: &object)
        case .echo(let m): m.write(kind: "echo", into: &object)
        case .status(let s): s.write(into: &object)
        case .contact(let c): c.write(into: &object)
        default: return JSONWriter.string(toJSON())
        }
        return object.text()
    }
}

// Each writes the members of its `jsonFields()` and the event's `kind`, keys in sorted order.

extension InboundMessage {
    fileprivate func write(kind: String, into o: inout JSONObjectWriter) {
        o.put("account_id", accountID)
        o.put("button", button?.toJSON())
        o.put("channel_id", channelID)
        if !sharedContacts.isEmpty { o.put("contacts", .array(sharedContacts.map { $0.toJSON() })) }
        o.put("context_message_id", contextMessageID)
        o.put("edit", edit?.toJSON())
        if !errors.isEmpty { o.put("errors", .array(errors.map { $0.toJSON() })) }
        o.put("forwarded", forwarded)
        o.put("from", senderPhone)
        o.put("from_parent_user_id", senderParentUserID)
        o.put("from_user_id", senderUserID)
        o.put("id", id)
        o.put("interactive", interactive?.toJSON())
        o.put("kind", kind)
        o.put("location", location?.toJSON())
        o.put("media", media?.toJSON())
        o.put("order", order?.toJSON())
        o.put("profile_name", profileName)
        o.put("raw", raw)
        o.put("reaction", reaction?.toJSON())
        o.put("referral", referral?.toJSON())
        o.put("revoked_message_id", revokedMessageID)
        o.put("text", text)
        o.put("timestamp", timestamp)
        o.put("type", type.rawValue)
        o.put("username", username)
    }
}

extension InboundStatus {
    fileprivate func write(into o: inout JSONObjectWriter) {
        o.put("account_id", accountID)
        o.put("billable", billable)
        o.put("channel_id", channelID)
        o.put("conversation_expires_at", conversationExpiresAt)
        o.put("conversation_id", conversationID)
        o.put("conversation_origin", conversationOrigin)
        if !errors.isEmpty { o.put("errors", .array(errors.map { $0.toJSON() })) }
        o.put("id", messageID)
        o.put("kind", "status")
        o.put("pricing_category", pricingCategory)
        o.put("pricing_model", pricingModel)
        o.put("recipient_id", recipientPhone)
        o.put("recipient_parent_user_id", recipientParentUserID)
        o.put("recipient_user_id", recipientUserID)
        o.put("status", state.rawValue)
        o.put("timestamp", timestamp)
    }
}

extension InboundContact {
    fileprivate func write(into o: inout JSONObjectWriter) {
        o.put("account_id", accountID)
        o.put("channel_id", channelID)
        o.put("kind", "contact")
        o.put("parent_user_id", parentUserID)
        o.put("profile_name", profileName)
        o.put("user_id", userID)
        o.put("username", username)
        o.put("wa_id", waID)
    }
}
