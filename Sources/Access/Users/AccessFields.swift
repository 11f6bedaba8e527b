import GatewayKit

/// Field checks shared by the user and token bodies (and the command line): role, scope, email, password.
extension FieldValidator {
    /// `role`: one of ``Role``.
    mutating func role(_ key: String, required: Bool) -> Role? {
        guard let text = required ? requiredString(key) : optionalString(key) else { return nil }
        guard let role = Role(rawValue: text) else { fail(key, "must be one of \(Role.names)"); return nil }
        return role
    }

    /// `scope`: an array of `FID`, `FID/OID` or `/OID` (empty = unrestricted).
    mutating func scope(_ key: String) -> AccessScope? {
        guard let items = optionalArray(key) else { return nil }
        guard items.count <= 500 else { fail(key, "must have at most 500 grants"); return nil }
        var grants: [AccessScope.Grant] = []
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue, let grant = AccessScope.Grant(text: text) else {
                fail("\(key)[\(index)]", "must be FID, FID/OID or /OID (POS identifiers, no spaces)")
                continue
            }
            if !grants.contains(grant) { grants.append(grant) }
        }
        return AccessScope(grants)
    }

    /// `email`: one `@`, something on both sides, no spaces or control characters, at most 254 bytes.
    mutating func email(_ key: String) -> String? {
        guard let text = requiredString(key) else { return nil }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F })
        else { fail(key, "must be an email address"); return nil }
        return text.lowercased()
    }

    /// `password`: see ``PasswordHash/weakness(of:)``.
    mutating func newPassword(_ key: String, required: Bool) -> String? {
        guard let text = required ? requiredString(key) : optionalString(key) else { return nil }
        if let weakness = PasswordHash.weakness(of: text) { fail(key, weakness); return nil }
        return text
    }
}
