import Foundation

/// Keys whose values are checked text: an IANA time zone, a time of day, or anything a predicate accepts.
extension ConfigKey {
    public static func timeZone(_ path: String, env: String,
                                _ keyPath: WritableKeyPath<Root, String> & Sendable) -> ConfigKey {
        checkedText(path, env: env, keyPath, isValid: IANATimeZones.contains,
                    reason: "must be an IANA time zone such as \"Asia/Kuala_Lumpur\"")
    }

    /// Text (surrounding spaces dropped) that `isValid` accepts; otherwise `reason`, naming the key.
    public static func checkedText(_ path: String, env: String,
                                   _ keyPath: WritableKeyPath<Root, String> & Sendable,
                                   isValid: @escaping @Sendable (String) -> Bool, reason: String) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: false) { config, input throws(ConfigError) in
            let key = name(input, path: path, env: env)
            let value = try text(input, key: key, allowNull: false)!.trimmingSpaces
            guard isValid(value) else { throw .invalidValue(key: key, reason: reason) }
            config[keyPath: keyPath] = value
        }
    }

    /// `HH:MM` (24-hour clock), stored as minutes after midnight.
    public static func timeOfDay(_ path: String, env: String,
                                 _ keyPath: WritableKeyPath<Root, Int> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: false) { config, input throws(ConfigError) in
            let key = name(input, path: path, env: env)
            guard let minutes = TimeOfDayText.minutes(try text(input, key: key, allowNull: false)!) else {
                throw .invalidValue(key: key, reason: "must be a time of day HH:MM such as \"02:00\"")
            }
            config[keyPath: keyPath] = minutes
        }
    }

    /// Text, with null and "" both meaning "not set".
    public static func optionalText(_ input: Input, key: String) throws(ConfigError) -> String? {
        try text(input, key: key, allowNull: true).flatMap { $0.isEmpty ? nil : $0 }
    }
}
