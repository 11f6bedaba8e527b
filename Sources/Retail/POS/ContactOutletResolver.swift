import GatewayKit
import Identity
import Storage

/// Contact → outlet resolution (a ticket's franchise and outlet found from the customer's phone in the POS data). Given a phone in any format it
/// finds the outlets listing that phone as a contact; the ticket flow links the contact when exactly one matches and
/// asks the customer (WhatsApp list) when several do. Links are recorded in `contact_outlet` with how they were made.
///
/// Every outlet counts, whatever its status: a closed outlet's contact is still that outlet's contact.
public struct ContactOutletResolver: Sendable {
    let phoneFormat: PhoneNumberFormat

    public init(phoneFormat: PhoneNumberFormat) {
        self.phoneFormat = phoneFormat
    }

    /// The outlets whose contact phones include `phone` (normalized with the POS default country code).
    /// - Throws: ``PhoneNumberError`` when `phone` is not a phone number.
    public func resolve(phone: String, in connection: any DatabaseConnection) throws -> OutletResolution {
        let outlets = try OutletDirectory.outlets(withPhone: try phoneFormat.canonical(phone), in: connection)
        switch outlets.count {
        case 0: return .unlinked
        case 1: return .linked(fid: outlets[0].fid, oid: outlets[0].oid)
        default: return .ambiguous(outlets)
        }
    }

    /// Records that `contactID` speaks for outlet `oid` (again: the method and time are replaced).
    /// - Throws: ``GatewayError/notFound(_:)`` for an unknown outlet, ``GatewayError/validation(_:)`` for an empty
    ///   contact id.
    public func link(contactID: String, oid: String, method: ContactOutletLink.Method, at millis: Int64,
                     in connection: any DatabaseConnection) throws {
        guard !contactID.isEmpty else {
            throw GatewayError.validation([FieldError(field: "contact_id", message: "must not be empty")])
        }
        guard try connection.queryOne("SELECT 1 AS found FROM outlets WHERE oid = ?", [.text(oid)]) != nil else {
            throw GatewayError.notFound("no outlet \(oid)")
        }
        try connection.run("""
            INSERT INTO contact_outlet (contact_id, oid, method, linked_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (contact_id, oid) DO UPDATE SET method = excluded.method, linked_at = excluded.linked_at
            """, [.text(contactID), .text(oid), .text(method.rawValue), .integer(millis)])
    }

    /// The outlets linked to `contactID`, oldest link first.
    public func links(contactID: String, in connection: any DatabaseConnection) throws -> [ContactOutletLink] {
        try connection.query("""
            SELECT oid, method, linked_at FROM contact_outlet WHERE contact_id = ? ORDER BY linked_at, oid
            """, [.text(contactID)]).compactMap { row in
            guard let oid = row.string("oid"), let method = row.string("method").flatMap(ContactOutletLink.Method.init),
                  let linkedAt = row.int64("linked_at"), let outlet = try OutletDirectory.outlet(oid, in: connection)
            else { return nil }
            return ContactOutletLink(contactID: contactID, outlet: outlet, method: method, linkedAt: linkedAt)
        }
    }
}

/// What a phone resolves to.
public enum OutletResolution: Sendable, Equatable {
    /// Exactly one outlet lists the phone.
    case linked(fid: String, oid: String)
    /// Several do (in OID order): ask the customer which one.
    case ambiguous([OutletRecord])
    /// None does.
    case unlinked
}

/// One recorded contact → outlet link.
public struct ContactOutletLink: Sendable, Equatable {
    /// How the link was learnt (`contact_outlet.method`).
    public enum Method: String, Sendable, CaseIterable {
        /// The phone matched exactly one outlet.
        case phone
        /// The customer picked the outlet (ambiguous phone, WhatsApp list).
        case customerChoice = "customer_choice"
        /// An agent linked it.
        case manual
    }

    public let contactID: String
    public let outlet: OutletRecord
    public let method: Method
    /// Unix ms.
    public let linkedAt: Int64
}
