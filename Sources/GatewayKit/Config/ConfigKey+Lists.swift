import Foundation

extension ConfigKey {
    /// A list of texts: a JSON array of strings in the file, comma-separated in the environment; each must pass
    /// `isValid`, else `reason` names the key and the item's index.
    public static func textList(_ path: String, env: String, secret: Bool = false,
                                _ keyPath: WritableKeyPath<Root, [String]> & Sendable,
                                isValid: @escaping @Sendable (String) -> Bool, reason: String) -> ConfigKey {
        ConfigKey(path: path, env: env, secret: secret) { config, input throws(ConfigError) in
            let key: String
            let items: [String]
            switch input {
            case .json(let value):
                key = path
                guard let strings = value.arrayValue?.compactMap(\.stringValue), strings.count == value.arrayValue?.count
                else { throw .invalidValue(key: key, reason: "must be an array of strings") }
                items = strings
            case .env(let raw):
                key = env
                items = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            for (index, item) in items.enumerated() where !isValid(item) {
                throw .invalidValue(key: "\(key)[\(index)]", reason: reason)
            }
            config[keyPath: keyPath] = items
        }
    }
}
