import Delivery
import GatewayKit

/// Turns a stored WhatsApp Cloud API webhook delivery into inbox items, one per message, status, contact snapshot and
/// identity change, each with a dedupe key that makes Meta's re-deliveries (in the same or another batch) harmless:
///
/// | kind              | dedupe key                                   | payload                          |
/// |-------------------|----------------------------------------------|----------------------------------|
/// | `message`         | `wa:msg:<wamid>`                             | ``InboundMessage`` event JSON    |
/// | `echo`            | `wa:echo:<wamid>`                            | ``InboundMessage`` event JSON    |
/// | `call`            | `wa:call:<call id>:<event>:<status>:<timestamp>` | ``InboundCall`` JSON         |
/// | `status`          | `wa:status:<wamid>:<status>`                 | ``InboundStatus`` event JSON     |
/// | `contact`         | `wa:contact:<user_id or wa_id>:<fingerprint>`| ``InboundContact`` event JSON    |
/// | `identity_change` | `wa:sys:<wamid>`                             | ``InboundIdentityChange`` JSON   |
/// | `preference`      | `wa:pref:<user_id or wa_id>:<category>:<value>:<timestamp>` | ``InboundPreference`` JSON |
/// | `template_update` | `wa:tpl:<template id>:<language>:<status|quality|category>:<value>:<entry time>` | ``InboundTemplateUpdate`` JSON |
/// | `account_update`  | `wa:acct:<waba id>:<field>:<event>:<phone number>:<entry time>` | ``InboundAccountUpdate`` JSON |
///
/// Payloads are ``InboundEvent/toJSON()`` and read back with ``InboundEvent/init(json:)``. Broken elements become
/// ``ItemFailure``s (see ``WhatsAppWebhookParser``); changes for fields other than `messages` are skipped and named in
/// ``NormalizationResult/unhandled``.
public struct WhatsAppWebhookNormalizer: DeliveryNormalizer {
    public var source: InboxSource { .whatsapp }

    public init() {}

    /// Throws only when `body` is not JSON at all; everything else is reported per element.
    public func normalize(_ delivery: StoredDelivery) throws -> NormalizationResult {
        try normalize(delivery.body)
    }

    public func normalize(_ body: [UInt8]) throws -> NormalizationResult {
        normalize(json: try JSONParser.parse(body))
    }

    /// The same for an already parsed body.
    public func normalize(json: JSONValue) -> NormalizationResult {
        let parsed = WhatsAppWebhookParser.parse(json)
        var result = NormalizationResult(failures: parsed.failures, unhandled: parsed.unhandledFields)
        // A batch can repeat an element (the same contact in two changes, a re-sent message): one item per key.
        var seen: Set<String> = []
        for found in parsed.events {
            let key = WhatsAppWebhookNormalizer.dedupeKey(for: found.event)
            guard seen.insert(key).inserted else { continue }
            result.items.append(NormalizedItem(event: found.event, dedupeKey: key, occurredAt: found.occurredAt))
        }
        return result
    }

    /// The inbox dedupe key of an event (see the table above).
    public static func dedupeKey(for event: InboundEvent) -> String {
        switch event {
        case .message(let m): return "wa:msg:\(m.id)"
        case .echo(let m): return "wa:echo:\(m.id)"
        case .call(let c): return "wa:call:\(c.callID):\(c.event):\(c.status ?? ""):\(c.timestamp)"
        case .status(let s): return "wa:status:\(s.messageID):\(s.state.rawValue)"
        case .contact(let c):
            return "wa:contact:\(c.userID ?? c.waID ?? ""):\(WhatsAppContactFingerprint.of(c))"
        case .identityChange(let c): return "wa:sys:\(c.messageID)"
        case .preference(let p):
            return "wa:pref:\(p.userID ?? p.phone ?? ""):\(p.category):\(p.choice.rawValue):\(p.timestamp)"
        case .templateUpdate(let t):
            let change = t.status.map { "status:\($0)" } ?? t.quality.map { "quality:\($0)" }
                ?? "category:\(t.category ?? "")"
            return "wa:tpl:\(t.templateID):\(t.language):\(change):\(t.timestamp.map(String.init) ?? "")"
        case .accountUpdate(let a):
            return "wa:acct:\(a.accountID):\(a.topic):\(a.event):\(a.phoneNumber ?? ""):"
                + (a.timestamp.map(String.init) ?? "")
        }
    }
}
