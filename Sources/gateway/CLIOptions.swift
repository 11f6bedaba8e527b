/// The parsed command line: one command word plus options.
struct CLIOptions {
    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    var command: String?
    var configFile: String?
    var help = false
    /// Words after the command (for commands that take arguments).
    var positional: [String] = []
    /// Values of the subcommand options in ``valueOptions`` (`--endpoint E` or `--endpoint=E`), by name.
    var values: [String: String] = [:]
    /// Subcommand flags from ``flagOptions`` that were given.
    var flags: Set<String> = []

    /// Options of subcommands that take a value (`dlq list --endpoint E --since T --limit N`,
    /// `dlq purge --older-than D`, `pos import F --format csv`, `renewals run --date D`,
    /// `token create --name N --role R --scope S --expires D`, `user create --email E --role R --scope S --name N`,
    /// `demo --url U`);
    /// each command checks which of them it accepts.
    static let valueOptions: Set<String> = ["endpoint", "since", "limit", "older-than", "format", "date", "name", "role",
                                            "scope", "expires", "email", "url"]
    static let flagOptions: Set<String> = ["all"]

    static func parse(_ arguments: [String]) throws -> CLIOptions {
        var options = CLIOptions()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "-h", "--help":
                options.help = true
            case "--config":
                index += 1
                guard index < arguments.count else { throw UsageError(description: "--config needs a file path") }
                options.configFile = arguments[index]
            case _ where argument.hasPrefix("--config="):
                options.configFile = String(argument.dropFirst("--config=".count))
            case _ where argument.hasPrefix("--") && flagOptions.contains(String(argument.dropFirst(2))):
                options.flags.insert(String(argument.dropFirst(2)))
            case _ where argument.hasPrefix("--") && valueOptions.contains(optionName(argument)):
                let name = optionName(argument)
                if let equals = argument.firstIndex(of: "=") {
                    options.values[name] = String(argument[argument.index(after: equals)...])
                } else {
                    index += 1
                    guard index < arguments.count else { throw UsageError(description: "--\(name) needs a value") }
                    options.values[name] = arguments[index]
                }
            case _ where argument.hasPrefix("-"):
                throw UsageError(description: "unknown option \(argument)")
            default:
                if options.command == nil { options.command = argument } else { options.positional.append(argument) }
            }
            index += 1
        }
        if options.command == nil && !options.help { options.help = true }
        return options
    }

    /// `--name` or `--name=value` → `name`.
    private static func optionName(_ argument: String) -> String {
        String(argument.dropFirst(2).prefix { $0 != "=" })
    }
}
