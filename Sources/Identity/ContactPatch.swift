import GatewayKit
/// A validated `PATCH /v1/contacts/{id}` body. Every member is optional; absent means "leave as is":
///
/// - `name`: string or null.
/// - `phones`: the complete list of the contact's phones (E.164-ish, `+` optional). Phones left out are removed, new
///   ones added; leaving out (or changing) a phone bound to a BSUID is refused with 400 "Phone is linked to BSUID and
///   cannot be modified".
/// - `emails`: the complete list of the contact's emails.
/// - `bsuids`: BSUID nodes to add or update (never removes; use `DELETE …/bsuids/{bsuid}`):
///   `[{"bsuid", "username"? ("@name"), "phone"?}]`. Needs `MULTI_BSUID_ENABLED`.
///
/// Unknown members and malformed values are reported together as field errors (400) before anything is written.
public struct ContactPatch: Sendable, Equatable {
    public struct BSUIDEntry: Sendable, Equatable {
        public var bsuid: String
        public var username: String?
        public var phone: String?
    }

    public static let fields = ["name", "phones", "emails", "bsuids"]

    /// nil: unchanged; `.some(nil)`: cleared.
    public var name: String??
    public var phones: [String]?
    public var emails: [String]?
    public var bsuids: [BSUIDEntry]?

    public static func parse(_ body: JSONValue, mode: IdentityMode) -> Result<ContactPatch, GatewayError> {
        guard case .object(let object) = body else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object")]))
        }
        var v = FieldValidator(object)
        for key in object.keys.sorted() where !fields.contains(key) {
            v.fail(key, "is not a contact field (allowed: \(fields.joined(separator: ", ")))")
        }
        var patch = ContactPatch()
        if let value = object["name"] {
            patch.name = .some(value.isNull ? nil : v.optionalString("name"))
        }
        patch.phones = list(&v, "phones", object, IdentifierFormat.phone, "must be an E.164 phone number (+ and 7-15 digits)")
        patch.emails = list(&v, "emails", object, IdentifierFormat.email, "must be an email address")
        if let entries = v.optionalArray("bsuids") {
            if mode == .phoneOnly { v.fail("bsuids", "needs MULTI_BSUID_ENABLED") }
            patch.bsuids = entries.enumerated().compactMap { index, entry in bsuidEntry(entry, index, &v) }
        }
        return v.errors.isEmpty ? .success(patch) : .failure(.validation(v.errors))
    }

    private static func list(_ v: inout FieldValidator, _ key: String, _ object: [String: JSONValue],
                             _ canonical: (String) -> String?, _ message: String) -> [String]? {
        guard let values = v.optionalArray(key) else { return nil }
        var out: [String] = []
        for (index, value) in values.enumerated() {
            guard let text = value.stringValue, let c = canonical(text) else {
                v.fail("\(key)[\(index)]", message)
                continue
            }
            if !out.contains(c) { out.append(c) }
        }
        return out
    }

    private static func bsuidEntry(_ entry: JSONValue, _ index: Int, _ v: inout FieldValidator) -> BSUIDEntry? {
        let prefix = "bsuids[\(index)]"
        guard case .object(let o) = entry else {
            v.fail(prefix, "must be an object")
            return nil
        }
        var e = FieldValidator(o, prefix: v.path(prefix))
        defer { v.merge(e) }
        for key in o.keys.sorted() where !["bsuid", "username", "phone"].contains(key) {
            e.fail(key, "is not a BSUID field (allowed: bsuid, username, phone)")
        }
        let bsuid = e.requiredString("bsuid")
        if let bsuid, IdentifierFormat.bsuid(bsuid) == nil {
            e.fail("bsuid", "must look like CC.digits, e.g. US.13491208655302741918")
        }
        let username = e.optionalString("username")
        if let username, IdentifierFormat.apiUsername(username) == nil {
            e.fail("username", "must be @ followed by 1-\(IdentifierFormat.maxUsernameLength) letters, digits, . or _")
        }
        let phone = e.optionalString("phone")
        if let phone, IdentifierFormat.phone(phone) == nil {
            e.fail("phone", "must be an E.164 phone number (+ and 7-15 digits)")
        }
        guard e.errors.isEmpty, let bsuid else { return nil }
        return BSUIDEntry(bsuid: bsuid, username: username.flatMap(IdentifierFormat.apiUsername),
                          phone: phone.flatMap(IdentifierFormat.phone))
    }
}

extension ContactPatch {
    /// A patch of the name and phones only (other modules naming a person they learnt about: a lead, a call).
    public init(name: String?? = nil, phones: [String]? = nil) {
        self.init()
        self.name = name
        self.phones = phones
    }
}
