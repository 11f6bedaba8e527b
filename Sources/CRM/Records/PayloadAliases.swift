import GatewayKit
/// Other names a sender may use for a payload key. A chatbot built on the CRM's ticket form sends `crm_ticket_name`,
/// `crm_ticket_id` and `crm_unique_ticket_id` where the gateway says `name`, `id` and `unique_id`; both spellings are
/// accepted, and every error names the key as it was sent.
struct PayloadAliases {
    /// The payload with each alias moved to its key.
    let data: [String: JSONValue]
    /// An alias sent next to its key with a different value.
    let errors: [FieldError]
    /// Key → the alias it arrived under.
    private let sentAs: [String: String]
    private let prefix: String

    /// - Parameter aliases: alias → key, e.g. `crm_ticket_name` → `name`.
    static func resolve(_ payload: [String: JSONValue], aliases: [String: String], prefix: String) -> PayloadAliases {
        var data = payload
        var errors = FieldValidator([:], prefix: prefix)
        var sentAs: [String: String] = [:]
        for (alias, key) in aliases.sorted(by: { $0.key < $1.key }) {
            guard let value = data.removeValue(forKey: alias) else { continue }
            guard let existing = data[key] else {
                data[key] = value
                sentAs[key] = alias
                continue
            }
            if !sameValue(existing, value) {
                errors.fail(alias, "differs from \(key): \(alias) is another name for \(key), so send one of them "
                            + "(or both with the same value)")
            }
        }
        return PayloadAliases(data: data, errors: errors.errors, sentAs: sentAs, prefix: prefix)
    }

    /// The key as the sender wrote it.
    func sentKey(_ key: String) -> String { sentAs[key] ?? key }

    /// `errors` with each key that arrived under an alias named by that alias.
    func renamed(_ errors: [FieldError]) -> [FieldError] {
        guard !sentAs.isEmpty else { return errors }
        let paths = FieldValidator([:], prefix: prefix)
        return errors.map { error in
            for (key, alias) in sentAs where error.field == paths.path(key) {
                return FieldError(field: paths.path(alias), message: error.message)
            }
            return error
        }
    }

    /// Ids may come as a number or its decimal text: `7` and `"7"` name the same record.
    private static func sameValue(_ left: JSONValue, _ right: JSONValue) -> Bool {
        if left == right { return true }
        switch (left, right) {
        case (.integer(let number), .string(let text)), (.string(let text), .integer(let number)):
            return String(number) == text
        default:
            return false
        }
    }
}
