import Identity
import Storage

/// The phones a WhatsApp sender stands for in renewal matters (opt-outs, replies): the sender's own phone, or — for a
/// sender known only by BSUID — every phone of the customer the identity step resolved them to.
enum RenewalSenderPhones {
    /// International digits, sorted; empty when neither is known.
    static func of(phone: String?, contactID: String?, in connection: any DatabaseConnection) throws -> [String] {
        if let phone = phone.flatMap(IdentifierFormat.phone) { return [phone] }
        guard let contactID else { return [] }
        return try ContactAddresses.phones(of: contactID, in: connection)
    }
}
