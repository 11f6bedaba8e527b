import Delivery
import GatewayKit

/// A short, stable digest of a contact snapshot for its dedupe key: the same profile seen again (in every message the
/// user sends) maps to the same key and is stored once, while any change (a new username, a phone added to a BSUID)
/// yields a new key and a new snapshot.
///
/// 64-bit FNV-1a over the snapshot's canonical JSON (``InboundEvent/payloadText``, keys sorted as ``JSONWriter``
/// sorts them). Not cryptographic and need not be:
/// the key is already scoped by the user's id, and a collision would at worst skip one profile refresh.
enum WhatsAppContactFingerprint {
    static func of(_ contact: InboundContact) -> String {
        var text = InboundEvent.contact(contact).payloadText
        // Over the stored bytes: a loop over the string's UTF-8 view costs several times more per byte.
        let hash = text.withUTF8 { bytes in
            bytes.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
