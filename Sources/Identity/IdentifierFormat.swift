import GatewayKit
/// The accepted shapes of identity values and their canonical stored forms. Inbound WhatsApp values and contact API
/// input go through the same functions, so a phone typed as `+60 12…` in the CRM and a `wa_id` match.
public enum IdentifierFormat {
    /// Longest WhatsApp username, without the `@`.
    public static let maxUsernameLength = 35

    /// A business-scoped user id: two upper-case letters (the user's country), a dot, then 6–32 digits, e.g.
    /// `US.13491208655302741918`. Parent BSUIDs add `ENT.` after the country (`US.ENT.118…`).
    public static func bsuid(_ text: String) -> String? {
        // Read as bytes: every message's sender goes through here on the single writer.
        let utf8 = text.utf8
        guard utf8.count >= 9, utf8.prefix(2).allSatisfy({ $0 >= 65 && $0 <= 90 }),
              utf8.dropFirst(2).first == UInt8(ascii: ".") else { return nil }
        var digits = utf8.dropFirst(3)
        if digits.starts(with: "ENT.".utf8) { digits = digits.dropFirst(4) }
        guard (6...32).contains(digits.count), digits.allSatisfy(isDigit) else { return nil }
        return text
    }

    /// An international phone (``PhoneNumberFormat/international``): an optional `+`, then 7–15 digits not starting
    /// with 0 (spaces, dashes and parentheses are ignored). Stored as digits only, the way WhatsApp sends `wa_id`.
    public static func phone(_ text: String) -> String? {
        PhoneNumberFormat.international.canonicalOrNil(text)
    }

    /// Contact API usernames are written with their `@` (`@siti.aminah`) so they cannot be confused with names:
    /// 1–35 characters of letters, digits, `.` and `_` after it. Stored lower case without the `@`.
    public static func apiUsername(_ text: String) -> String? {
        guard text.hasPrefix("@") else { return nil }
        return username(String(text.dropFirst()))
    }

    /// A WhatsApp username as a webhook carries it (with or without a leading `@`), or nil when unusable.
    public static func inboundUsername(_ text: String) -> String? {
        username(text.hasPrefix("@") ? String(text.dropFirst()) : text)
    }

    /// A plain `local@domain.tld` address of at most 254 characters, stored lower case.
    public static func email(_ text: String) -> String? {
        let value = text.trimmingSpaces.lowercased()
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !value.contains(where: { $0 == " " || $0.isNewline }) else { return nil }
        return value
    }

    private static func username(_ body: String) -> String? {
        let value = body.lowercased()
        guard (1...maxUsernameLength).contains(value.count),
              value.utf8.allSatisfy({ isDigit($0) || ($0 >= 97 && $0 <= 122) || $0 == 46 || $0 == 95 }) else {
            return nil
        }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}
