import Configuration
import Delivery
import Foundation
import GatewayKit
import Ingress
import Messaging

/// `gateway <command> [options]`. Small on purpose: each command is a function, options are parsed by ``CLIOptions``.
enum GatewayCLI {
    static let usage = """
        usage: gateway <command> [--config FILE]

        commands:
          serve      apply migrations, then serve HTTP(S) until SIGTERM/SIGINT (graceful drain);
                     SIGHUP re-reads server.tls_cert and server.tls_key
          migrate    apply pending database migrations and exit
        \(DeadLetterCommand.usage)
        \(PurgeCommand.usage)
        \(POSCommand.usage)
        \(RenewalCommand.usage)
        \(AccessCommand.usage)
        \(DemoCommand.usage)
          identity duplicates
                     report customers sharing a phone or email (exit 3 when any are found)
          help       show this text

        options:
          --config FILE   JSON configuration (default: $GATEWAY_CONFIG, else built-in defaults);
                          environment variables override the file (see Config/gateway.example.json)
          -h, --help      show this text

        """

    static func run(_ arguments: [String], environment: [String: String]) -> Int32 {
        let options: CLIOptions
        do {
            options = try CLIOptions.parse(arguments)
        } catch {
            printError("\(error)\n\n\(usage)")
            return 64
        }
        if options.help || options.command == "help" {
            print(usage, terminator: "")
            return 0
        }
        let config: GatewayConfig
        do {
            config = try ConfigLoader.load(file: options.configFile ?? environment["GATEWAY_CONFIG"],
                                           environment: environment)
        } catch {
            printError("configuration error: \(error)")
            return 78
        }
        switch options.command {
        case "serve": return serve(config)
        case "migrate": return migrate(config)
        case "dlq": return DeadLetterCommand.run(options, config: config)
        case "purge": return PurgeCommand.run(options, config: config)
        case "pos": return POSCommand.run(options, config: config)
        case "renewals": return RenewalCommand.run(options, config: config)
        case "token", "user": return AccessCommand.run(options.command ?? "", options, config: config,
                                                       environment: environment)
        case "identity" where options.positional == ["duplicates"]: return IdentityCommand.duplicates(config)
        case "demo": return DemoCommand.run(options, config: config)
        default:
            printError("unknown command '\(options.command ?? "")'\n\n\(usage)")
            return 64
        }
    }

    static func migrate(_ config: GatewayConfig) -> Int32 {
        do {
            let applied = try GatewayStores.migrate(config.store, migrations: GatewaySchema.migrations)
            print(applied.isEmpty ? "database is up to date" : "applied migrations: \(applied.map(String.init).joined(separator: ", "))")
            return 0
        } catch {
            printError("migration failed: \(error)")
            return 1
        }
    }

    static func serve(_ config: GatewayConfig) -> Int32 {
        signal(SIGPIPE, SIG_IGN)  // a client hanging up must not kill the process
        let log = EventLog()
        log.info("gateway_config", ["summary": ConfigLoader.redactedSummary(config)])
        let app: GatewayApp
        let signals: ServeSignals
        do {
            app = try GatewayApp(config: config, log: log)
            signals = ServeSignals(onHangUp: hangUpAction(app))
            try app.start()
        } catch let error where error is WhatsAppTemplateError || error is ConfigError {
            printError("configuration error: \(error)")
            return 78
        } catch {
            log.error("gateway_start_failed", ["error": "\(error)"])
            return 1
        }
        signals.waitForShutdown()
        app.shutdown()
        return 0
    }

    /// What SIGHUP does: an HTTPS gateway re-reads its certificate files; a plain HTTP one has nothing to reload, and
    /// SIGHUP keeps its default disposition.
    private static func hangUpAction(_ app: GatewayApp) -> (@Sendable () -> Void)? {
        guard app.config.server.tlsEnabled else { return nil }
        return { _ = app.reloadTLS() }
    }

    /// The store (migrations applied), or nil after printing why it cannot be opened.
    static func openStore(_ config: GatewayConfig) -> (any GatewayStore)? {
        do {
            return try GatewayStores.open(config.store, migrations: GatewaySchema.migrations)
        } catch {
            printError("cannot open the database: \(error)")
            return nil
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
