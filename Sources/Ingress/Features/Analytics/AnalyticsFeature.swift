import Access
import Analytics
import Configuration
import Delivery
import GatewayKit
import HTTPClient

/// The support desk's figures: rollups kept up to date as tickets move (``AnalyticsRollups``),
/// `/v1/analytics/{figure}` over them, and the daily and weekly summaries e-mailed through `smtp`.
struct AnalyticsFeature: Feature {
    let desk: AnalyticsDesk
    let summaries: DeskSummaries
    let summaryJob: DailyJob

    init(_ context: FeatureContext) {
        let settings = context.config.analytics
        let rollups = AnalyticsRollups(database: context.store.database, settings: settings, metrics: context.metrics,
                                       log: context.log, clock: context.clock)
        desk = AnalyticsDesk(database: context.store.database, rollups: rollups, settings: settings,
                             clock: context.clock)
        let smtp = context.config.smtp
        let send: DeskSummaries.Send? = smtp.url.map { url in
            let mailer = SMTPMailer(url: url, from: smtp.from, username: smtp.username, password: smtp.password)
            return { mail in
                try mailer.send(MailMessage(to: mail.to, subject: mail.subject, text: mail.text, html: mail.html))
            }
        }
        summaries = DeskSummaries(database: context.store.database, desk: desk, settings: settings, send: send,
                                  metrics: context.metrics, log: context.log)
        summaryJob = summaries.job(clock: context.clock)
    }

    var services: [any Service] { [desk.rollups, summaryJob] }

    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        AnalyticsRoutes(desk: desk).register(in: &router)
    }
}
