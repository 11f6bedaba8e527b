/// Why the configuration was refused at start-up. Messages name the key (file path such as `server.port` or the
/// environment variable) and never include the value of a secret.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadableFile(path: String, reason: String)
    case invalidJSON(path: String, reason: String)
    case unknownKey(String)
    case invalidValue(key: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): return "cannot read config file \(path): \(reason)"
        case .invalidJSON(let path, let reason): return "config file \(path) is not valid JSON: \(reason)"
        case .unknownKey(let key): return "unknown config key '\(key)'"
        case .invalidValue(let key, let reason): return "invalid value for '\(key)': \(reason)"
        }
    }
}
