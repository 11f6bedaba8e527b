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
}
