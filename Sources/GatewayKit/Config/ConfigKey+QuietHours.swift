/// Quiet hours (renewal reminders, onboarding reminders): a daily local window in which nothing is sent.
extension ConfigKey {
    /// `"HH:MM-HH:MM"` in local time (may wrap midnight); `null` or `""` = no quiet hours.
    public static func quietHours(_ path: String,
                                  _ keyPath: WritableKeyPath<Root, QuietHours?> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: nil, secret: false) { config, input throws(ConfigError) in
            let value = try text(input, key: path, allowNull: true)?.trimmingSpaces ?? ""
            guard !value.isEmpty else {
                config[keyPath: keyPath] = nil
                return
            }
            guard let window = QuietHours(value) else {
                throw .invalidValue(key: path, reason: "must be a local time window HH:MM-HH:MM such as "
                                    + "\"21:00-09:00\" (start and end differ), or null for none")
            }
            config[keyPath: keyPath] = window
        }
    }
}
