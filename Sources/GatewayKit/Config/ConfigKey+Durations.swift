/// Config keys whose values are durations (`"250ms"`, `"5s"`, `"2m"`, `"6h"`), stored as milliseconds.
extension ConfigKey {
    public static func duration(_ path: String, env: String? = nil, _ keyPath: WritableKeyPath<Root, Int> & Sendable,
                                range: ClosedRange<Int>) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: false) { config, input throws(ConfigError) in
            let key = name(input, path: path, env: env)
            let raw: String
            switch input {
            case .json(.string(let s)): raw = s
            case .json: throw .invalidValue(key: key, reason: "must be a duration string such as \"5s\"")
            case .env(let s): raw = s
            }
            config[keyPath: keyPath] = try millis(raw, key: key, range: range)
        }
    }

    /// A non-empty JSON array of durations (file only).
    public static func durationList(_ path: String, _ keyPath: WritableKeyPath<Root, [Int]> & Sendable,
                                    range: ClosedRange<Int>) -> ConfigKey {
        ConfigKey(path: path, env: nil, secret: false) { config, input throws(ConfigError) in
            guard case .json(.array(let elements)) = input, !elements.isEmpty else {
                throw .invalidValue(key: path, reason: "must be a non-empty array of duration strings")
            }
            var values: [Int] = []
            for (index, element) in elements.enumerated() {
                guard let text = element.stringValue else {
                    throw .invalidValue(key: "\(path)[\(index)]", reason: "must be a duration string such as \"5s\"")
                }
                values.append(try millis(text, key: "\(path)[\(index)]", range: range))
            }
            config[keyPath: keyPath] = values
        }
    }

    public static func millis(_ text: String, key: String, range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let value = DurationText.milliseconds(text) else {
            throw .invalidValue(key: key, reason: "must be a duration such as 250ms, 5s, 2m, 1h or 7d")
        }
        guard range.contains(value) else {
            throw .invalidValue(key: key, reason: "must be between \(DurationText.format(milliseconds: range.lowerBound)) "
                                + "and \(DurationText.format(milliseconds: range.upperBound))")
        }
        return value
    }
}
