import Delivery
import GatewayKit
/// Keys of the `tickets` section that are not plain durations.
extension ConfigKey {
    /// `tickets.sla.categories`: `{"<category>": {"first_response": "10m", "resolution": "48h"}}`, both optional.
    public static func slaCategories(_ path: String,
                                     _ keyPath: WritableKeyPath<Root, [String: TicketSLATargets]> & Sendable)
        -> ConfigKey {
        ConfigKey(path: path, env: nil, secret: false) { config, input throws(ConfigError) in
            guard case .json(.object(let members)) = input else {
                throw .invalidValue(key: path, reason: "must be an object of category names")
            }
            var categories: [String: TicketSLATargets] = [:]
            for name in members.keys.sorted() where !name.hasPrefix("_") {
                let key = "\(path).\(name)"
                guard !name.isEmpty, name.count <= 64 else {
                    throw .invalidValue(key: key, reason: "category names are 1-64 characters")
                }
                guard case .object(let fields) = members[name]! else {
                    throw .invalidValue(key: key, reason: "must be an object")
                }
                var targets = TicketSLATargets()
                for field in fields.keys.sorted() where !field.hasPrefix("_") {
                    guard case .string(let text) = fields[field]! else {
                        throw .invalidValue(key: "\(key).\(field)", reason: "must be a duration string such as \"5m\"")
                    }
                    let millis = try millis(text, key: "\(key).\(field)", range: 1_000...(365 * 86_400_000))
                    switch field {
                    case "first_response": targets.firstResponseMilliseconds = millis
                    case "resolution": targets.resolutionMilliseconds = millis
                    default: throw .unknownKey("\(key).\(field)")
                    }
                }
                categories[name] = targets
            }
            config[keyPath: keyPath] = categories
        }
    }
}
