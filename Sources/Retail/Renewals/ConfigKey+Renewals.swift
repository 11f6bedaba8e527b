import GatewayKit
/// Keys of the `renewals` section whose values have their own shapes: the reminder days, the reply keywords and the
/// queue of reply tickets.
extension ConfigKey {
    /// A non-empty JSON array of distinct whole days in -365…365 (file only), stored ascending.
    public static func dayOffsets(_ path: String, _ keyPath: WritableKeyPath<Root, [Int]> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: nil, secret: false) { config, input throws(ConfigError) in
            guard case .json(.array(let elements)) = input, !elements.isEmpty else {
                throw .invalidValue(key: path,
                                    reason: "must be a non-empty array of whole days such as [-14, -7, -1, 3]")
            }
            var days: [Int] = []
            for (index, element) in elements.enumerated() {
                let key = "\(path)[\(index)]"
                let day = try integer(element.int64Value.map { Int($0) }, key: key, range: -365...365)
                guard !days.contains(day) else { throw .invalidValue(key: key, reason: "\(day) appears twice") }
                days.append(day)
            }
            config[keyPath: keyPath] = days.sorted()
        }
    }

    /// A non-empty JSON array of distinct keywords (file only): each 1-32 characters after trimming, no control
    /// characters, not an opt-out keyword (STOP, BERHENTI, START, MULA: the opt-out step sees messages first). Stored
    /// trimmed and upper-cased.
    public static func replyKeywords(_ path: String,
                                     _ keyPath: WritableKeyPath<Root, [String]> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: nil, secret: false) { config, input throws(ConfigError) in
            guard case .json(.array(let elements)) = input, !elements.isEmpty else {
                throw .invalidValue(key: path, reason: "must be a non-empty array of words such as [\"RENEW\"]")
            }
            var keywords: [String] = []
            for (index, element) in elements.enumerated() {
                let key = "\(path)[\(index)]"
                let keyword = (element.stringValue ?? "").trimmingSpaces.uppercased()
                guard (1...32).contains(keyword.count), !keyword.unicodeScalars.contains(where: {
                    $0.properties.generalCategory == .control
                }) else { throw .invalidValue(key: key, reason: "must be a word or phrase of 1-32 characters") }
                guard RenewalOptOut.keyword(keyword) == nil else {
                    throw .invalidValue(key: key, reason: "\(keyword) is an opt-out keyword")
                }
                guard !keywords.contains(keyword) else {
                    throw .invalidValue(key: key, reason: "\(keyword) appears twice")
                }
                keywords.append(keyword)
            }
            config[keyPath: keyPath] = keywords
        }
    }

    /// A ticket queue name: 1-64 of a-z, 0-9, `_` and `-`.
    public static func ticketQueue(_ path: String, _ keyPath: WritableKeyPath<Root, String> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: nil, secret: false) { config, input throws(ConfigError) in
            let value = try text(input, key: path, allowNull: false) ?? ""
            guard (1...64).contains(value.utf8.count), value.utf8.allSatisfy({
                ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 || $0 == 45
            }) else { throw .invalidValue(key: path, reason: "must be 1-64 characters of a-z, 0-9, _ and -") }
            config[keyPath: keyPath] = value
        }
    }
}
