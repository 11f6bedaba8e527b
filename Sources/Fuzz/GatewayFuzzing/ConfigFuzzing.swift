import Configuration
import GatewayKit

/// Configuration text applied to the defaults, as `gateway serve --config FILE` does. A refusal is a `ConfigError`
/// that names a key, and no error message may contain the value of a secret (start-up errors are logged).
enum ConfigFuzzing {
    /// Secret values shorter than this are not looked for in messages: `"s"` appears in many harmless words.
    static let shortestSecretChecked = 8

    /// The keys marked `secret` in the configuration's key table: `secrets-set.json` in the corpus sets each of them.
    static let secretPaths = Set(GatewayConfig.configKeys.filter(\.secret).map(\.path))

    static func run(_ bytes: [UInt8]) throws(FuzzFinding) -> FuzzOutcome {
        var config = GatewayConfig()
        do {
            try ConfigLoader.apply(json: bytes, origin: "fuzz.json", to: &config)
            return .accepted
        } catch {
            let message = error.description
            switch error {
            case .unknownKey(let key), .invalidValue(let key, _):
                guard !key.isEmpty else { throw FuzzFinding(.config, "an error names no key: \(message)") }
            case .invalidJSON, .unreadableFile:
                break
            }
            if let parsed = try? JSONParser.parse(bytes),
               secretValues(in: parsed).contains(where: { message.contains($0) }) {
                throw FuzzFinding(.config, "an error message contains a secret value")
            }
            return .refused(message)
        }
    }

    /// The string values (at any depth) under the keys marked secret, and under the endpoints' signing secrets and
    /// bearer tokens; except values that are also part of a member name in the input, which an error message names
    /// legitimately (every key an error names comes from the input's member names).
    static func secretValues(in root: JSONValue) -> [String] {
        var found: [String] = []
        func strings(_ value: JSONValue) {
            switch value {
            case .string(let s) where s.count >= shortestSecretChecked: found.append(s)
            case .array(let elements): elements.forEach(strings)
            case .object(let members): members.values.forEach(strings)
            default: break
            }
        }
        func walk(_ value: JSONValue, path: [String]) {
            let dotted = path.joined(separator: ".")
            if secretPaths.contains(dotted)
                || (path.count == 4 && path[0] == "outbound" && path[1] == "endpoints"
                    && ["signing_secret", "bearer_token"].contains(path[3])) {
                strings(value)
                return
            }
            for (name, member) in value.objectValue ?? [:] { walk(member, path: path + [name]) }
        }
        walk(root, path: [])
        var names: [String] = []
        func collectNames(_ value: JSONValue) {
            if case .array(let elements) = value { elements.forEach(collectNames) }
            for (name, member) in value.objectValue ?? [:] {
                names.append(name)
                collectNames(member)
            }
        }
        collectNames(root)
        return found.filter { value in !names.contains { $0.contains(value) } }
    }
}
