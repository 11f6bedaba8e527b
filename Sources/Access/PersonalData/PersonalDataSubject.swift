import GatewayKit
import Storage

/// The person a subject-access export or an erasure is about, as the identity module knows them: the contact and
/// every contact merged into it, and the identifiers that name them in stored data.
public struct PersonalDataSubject: Sendable, Equatable {
    /// The contact's public id (the survivor of any merge).
    public let contactID: String
    /// The public ids of the contact and of those merged into it (what records' `contact_id` holds).
    public let contactIDs: [String]
    /// The identity module's own row ids of the same.
    public let customerIDs: [Int64]
    /// Phone numbers (digits, as WhatsApp writes them), BSUIDs, emails, usernames, display names.
    public let phones: [String]
    public let bsuids: [String]
    public let emails: [String]
    public let usernames: [String]
    public let names: [String]
    /// When the contact was erased; nil while it holds personal data.
    public let erasedAt: Int64?

    public init(contactID: String, contactIDs: [String], customerIDs: [Int64], phones: [String], bsuids: [String],
                emails: [String], usernames: [String], names: [String], erasedAt: Int64?) {
        self.contactID = contactID
        self.contactIDs = contactIDs
        self.customerIDs = customerIDs
        self.phones = phones
        self.bsuids = bsuids
        self.emails = emails
        self.usernames = usernames
        self.names = names
        self.erasedAt = erasedAt
    }

    /// What identifies the person inside raw stored bodies (webhook payloads, outbound bodies): phones, BSUIDs and
    /// emails. Names are not used to find data — two people share names — but go with what is found.
    public var needles: [String] { phones + bsuids + emails }
}

/// A module's part of the personal data it keeps: what it holds about a person (for the subject-access export) and
/// how it removes or anonymizes that (for an erasure), each inside the caller's transaction, on the module's own
/// tables. Counts kept for analytics (tickets, messages, surveys) stay; what names or describes the person goes.
public protocol PersonalDataHolder: Sendable {
    /// The section of the export and of the erasure's report (`tickets`, `messages`, …).
    var section: String { get }
    func export(_ subject: PersonalDataSubject, in c: any DatabaseConnection) throws -> JSONValue
    /// Removes or anonymizes; the number of rows changed.
    func erase(_ subject: PersonalDataSubject, at now: Int64, in c: any DatabaseConnection) throws -> Int
}

/// Finds the subject behind a contact id (the identity module).
public protocol PersonalDataSubjects: Sendable {
    /// The subject of `contactID` (a merged id finds its survivor), nil when no such contact exists.
    func subject(contactID: String, in c: any DatabaseConnection) throws -> PersonalDataSubject?
}
