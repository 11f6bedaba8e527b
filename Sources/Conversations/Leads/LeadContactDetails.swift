import GatewayKit
import Identity
import Storage

/// What a lead tells us, copied onto their contact in the lead's transaction: the name as the contact's name (a name
/// they gave, which later WhatsApp profile names do not replace), the business as the built-in `company` field.
struct LeadContactDetails: Sendable {
    let contacts: ContactEditor

    func record(_ question: LeadQuestion, _ answer: String, contactID: String, actor: String, now: Int64,
                in c: any DatabaseConnection) throws {
        switch question {
        case .name: try contacts.recordGivenName(answer, of: contactID, actor: actor, in: c)
        case .business: _ = try ContactFieldService.setValues(["company": .string(answer)], ofContact: contactID, now: now, in: c)
        case .interest: break
        }
    }
}
