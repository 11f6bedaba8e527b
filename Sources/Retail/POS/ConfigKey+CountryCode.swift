import GatewayKit
import Identity

/// The `pos` section's country calling code.
extension ConfigKey {
    public static func countryCode(_ path: String, env: String,
                                   _ keyPath: WritableKeyPath<Root, String> & Sendable) -> ConfigKey {
        checkedText(path, env: env, keyPath, isValid: PhoneNumberFormat.isCountryCode,
                    reason: "must be a country calling code: 1 to 3 digits without + or a leading 0, such as \"60\"")
    }
}
