import Foundation
import GatewayKit
import Identity

/// Keys of the `pos` section whose values have their own shapes: a country calling code, an IANA time zone and a
/// time of day.
extension ConfigKey {
    static func countryCode(_ path: String, env: String,
                            _ keyPath: WritableKeyPath<GatewayConfig, String> & Sendable) -> ConfigKey {
        checkedText(path, env: env, keyPath, isValid: PhoneNumberFormat.isCountryCode,
                    reason: "must be a country calling code: 1 to 3 digits without + or a leading 0, such as \"60\"")
    }

    static func timeZone(_ path: String, env: String,
                         _ keyPath: WritableKeyPath<GatewayConfig, String> & Sendable) -> ConfigKey {
        checkedText(path, env: env, keyPath, isValid: IANATimeZones.contains,
                    reason: "must be an IANA time zone such as \"Asia/Kuala_Lumpur\"")
    }

    /// Text (surrounding spaces dropped) that `isValid` accepts; otherwise `reason`, naming the key.
    private static func checkedText(_ path: String, env: String,
                                    _ keyPath: WritableKeyPath<GatewayConfig, String> & Sendable,
                                    isValid: @escaping @Sendable (String) -> Bool, reason: String) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: false) { config, input throws(ConfigError) in
            let key = name(input, path: path, env: env)
            let value = try text(input, key: key, allowNull: false)!.trimmingSpaces
            guard isValid(value) else { throw .invalidValue(key: key, reason: reason) }
            config[keyPath: keyPath] = value
        }
    }

    /// `HH:MM` (24-hour clock), stored as minutes after midnight.
    static func timeOfDay(_ path: String, env: String,
                          _ keyPath: WritableKeyPath<GatewayConfig, Int> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: false) { config, input throws(ConfigError) in
            let key = name(input, path: path, env: env)
            guard let minutes = TimeOfDayText.minutes(try text(input, key: key, allowNull: false)!) else {
                throw .invalidValue(key: key, reason: "must be a time of day HH:MM such as \"02:00\"")
            }
            config[keyPath: keyPath] = minutes
        }
    }
}
