import Access
import Configuration
import Delivery
import Foundation
import GatewayKit
import Storage

/// `gateway token create` and `gateway user create`: credentials from the gateway's own machine, audited as `cli`.
/// Safe while `gateway serve` runs on the same database. The token's secret is the only thing written to standard
/// output (so `TOKEN=$(gateway token create …)` works); a user's password is read from `GATEWAY_USER_PASSWORD` or the
/// first line of standard input, never from the command line (where `ps` would show it).
enum AccessCommand {
    static let usage = """
          token create --role R [--scope S] [--expires D] [--name N]
                     a new API token (R: \(Role.names); S: FID, FID/OID or /OID, comma-separated; D: 90d);
                     prints the secret once
          user create --email E --role R [--scope S] [--name N]
                     a new console user; the password from $GATEWAY_USER_PASSWORD or the first line of stdin
        """

    static func run(_ command: String, _ options: CLIOptions, config: GatewayConfig,
                    environment: [String: String]) -> Int32 {
        guard options.positional == ["create"] else { return usageError("\(command) needs create") }
        let allowed: Set<String> = command == "token" ? ["name", "role", "scope", "expires"]
                                                       : ["email", "role", "scope", "name"]
        if let extra = options.values.keys.first(where: { !allowed.contains($0) }) ?? options.flags.first {
            return usageError("\(command) create does not take --\(extra)")
        }
        var body: [String: JSONValue] = [:]
        for (key, value) in options.values where key != "scope" && key != "expires" { body[key] = .string(value) }
        if let scope = options.values["scope"] {
            body["scope"] = .array(scope.split(separator: ",").map { .string(String($0)) })
        }
        if let expires = options.values["expires"] { body["expires_in"] = .string(expires) }
        if command == "token", body["name"] == nil, let role = options.values["role"] {
            body["name"] = .string("cli \(role) token")  // what the audit log shows for its changes
        }
        if command == "user" {
            guard let password = environment["GATEWAY_USER_PASSWORD"] ?? readLine(strippingNewline: true) else {
                return usageError("user create reads the password from $GATEWAY_USER_PASSWORD or standard input")
            }
            body["password"] = .string(password)
        }
        guard let store = GatewayCLI.openStore(config) else { return 1 }
        defer { store.close() }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        do {
            if command == "token" {
                let token = try NewToken.read(.object(body)).get()
                let created = try store.database.write { try APITokens.create(token, by: .commandLine, now: now, in: $0) }
                GatewayCLI.printError("token \(created.record.id) \"\(token.name)\" (\(token.role.rawValue)) created; "
                                      + "the secret below is shown once")
                print(created.secret)
            } else {
                let user = try NewUser.read(.object(body)).get()
                let hash = PasswordHash.make(user.password, iterations: config.access.passwordIterations)
                let created = try store.database.write {
                    try UserAccounts.create(user, passwordHash: hash, by: .commandLine, now: now, in: $0)
                }
                print("user \(created.id) \(created.email) (\(created.role.rawValue)) created")
            }
            return 0
        } catch let error as GatewayError {
            GatewayCLI.printError("\(command) create refused: \(Problem(error).describedFields)")
            return 65
        } catch {
            GatewayCLI.printError("\(command) create failed: \(error)")
            return 1
        }
    }

    private static func usageError(_ message: String) -> Int32 {
        GatewayCLI.printError("\(message)\n\n\(usage)")
        return 64
    }
}

extension Problem {
    /// The detail and every field error on one line, for the command line.
    var describedFields: String {
        errors.isEmpty ? detail : errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
    }
}
