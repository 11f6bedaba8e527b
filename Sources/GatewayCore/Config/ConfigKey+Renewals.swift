/// Keys of the `renewals` section whose values have their own shapes: the reminder days and the quiet hours.
extension ConfigKey {
    /// A non-empty JSON array of distinct whole days in -365…365 (file only), stored ascending.
    static func dayOffsets(_ path: String, _ keyPath: WritableKeyPath<GatewayConfig, [Int]> & Sendable) -> ConfigKey {
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

    /// `"HH:MM-HH:MM"` in local time (may wrap midnight); `null` or `""` = no quiet hours.
    static func quietHours(_ path: String,
                           _ keyPath: WritableKeyPath<GatewayConfig, QuietHours?> & Sendable) -> ConfigKey {
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
