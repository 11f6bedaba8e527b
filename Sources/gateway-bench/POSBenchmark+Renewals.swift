import Configuration
import Delivery
import Foundation
import GatewayKit
import Ingress
import Messaging
import Retail
import Storage
import WhatsAppAdapter

/// The daily renewal run over the outlets the `pos` benchmark imported (target: ≤ 1 s for 100,000
/// outlets): the first run of a day (opens every cycle within the 60-day horizon, records stale days, queues the
/// day's reminders with their outbox rows), the same day again (finds everything done), and the next day.
extension POSBenchmark {
    func measureRenewalRuns(_ storeConfig: StoreSettings) throws {
        var config = GatewayConfig()
        config.store = storeConfig
        config.whatsapp.phoneNumberID = "bench"
        let catalog = try WhatsAppTemplateCatalog.load(directory: templatesDirectory, defaultLanguage: "en")
        let scheduler = RenewalScheduler(config: config, sender: WhatsAppSender(
            catalog: catalog, phoneNumberID: "bench", clock: { Int64(Date().timeIntervalSince1970 * 1000) }))
        let store = try SQLiteGatewayStore(config: storeConfig, migrations: GatewaySchema.migrations)
        defer { store.close() }
        // Day 20,300 lies inside the generated expiry dates (days 20,000 to 20,729).
        let day = CalendarDate(daysSinceEpoch: 20_300)
        for (label, date) in [("renewal run, first of the day", day), ("renewal run, same day again", day),
                              ("renewal run, next day", day.adding(days: 1))] {
            let start = Date()
            let report = try store.writer.perform { try scheduler.run(at: scheduler.runTime(on: date), in: $0) }
            let seconds = Date().timeIntervalSince(start)
            print(label.padding(toLength: 36, withPad: " ", startingAt: 0)
                  + String(format: "%6.3f s  ", seconds) + report.description)
        }
    }
}
