import Configuration
import Delivery
import Foundation
import GatewayKit
import Messaging
import Retail
import Storage
import WhatsAppAdapter

/// `gateway renewals run [--date YYYY-MM-DD]`: the daily renewal run once, now or as at `renewals.run_time` on the
/// given day (`pos.default_time_zone`). Idempotent like the scheduled run; safe while `gateway serve` runs on the
/// same database (one transaction, which takes turns with the scheduled run on either engine). Messages are queued in
/// the outbox: a serving gateway sends them.
enum RenewalCommand {
    static let usage = """
          renewals run [--date YYYY-MM-DD]
                     the daily renewal reminder run once now (or as at renewals.run_time on that day); prints
                     what it did (cycles opened/lapsed, attempts by result)
        """

    static func run(_ options: CLIOptions, config: GatewayConfig) -> Int32 {
        guard options.positional == ["run"], options.flags.isEmpty,
              options.values.keys.allSatisfy({ $0 == "date" }) else {
            return usageError("renewals takes run and optionally --date YYYY-MM-DD")
        }
        var day: CalendarDate?
        if let text = options.values["date"] {
            guard let date = CalendarDate(text) else {
                return usageError("renewals run: --date must be a day YYYY-MM-DD that exists")
            }
            day = date
        }
        let catalog: WhatsAppTemplateCatalog
        do {
            catalog = try WhatsAppTemplateCatalog.load(directory: config.whatsapp.templatesDirectory,
                                                       defaultLanguage: config.whatsapp.defaultLanguage)
        } catch {
            GatewayCLI.printError("configuration error: \(error)")
            return 78
        }
        let clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
        let scheduler = RenewalScheduler(config: config, sender: WhatsAppSender(
            catalog: catalog, phoneNumberID: config.whatsapp.phoneNumberID, clock: clock))
        let at = day.map(scheduler.runTime(on:)) ?? clock()
        guard let store = GatewayCLI.openStore(config) else { return 1 }
        defer { store.close() }
        do {
            let report = try store.database.write { try scheduler.run(at: at, in: $0) }
            print("renewals run \(report)")
            return 0
        } catch WhatsAppSendError.notConfigured(let setting) {
            GatewayCLI.printError("configuration error: reminders are due but \(setting) is not set; "
                                  + "nothing was recorded")
            return 78
        } catch {
            GatewayCLI.printError("renewals run failed, nothing was recorded: \(error)")
            return 1
        }
    }

    private static func usageError(_ message: String) -> Int32 {
        GatewayCLI.printError("\(message)\n\n\(GatewayCLI.usage)")
        return 64
    }
}
