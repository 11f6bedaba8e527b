import Access
import CRM
import Configuration
import Conversations
import Delivery
import Messaging

/// Every module's retention rules, one line per module: what the daily purge (``GatewayApp/retention``) and
/// `gateway purge` remove or empty, and after how long (`retention.*`, `tickets.deleted_message_retention`,
/// `media.retention`).
package enum RetentionRules {
    package static func all(_ config: GatewayConfig) -> [RetentionRule] {
        DeliveryRetention.rules(config.retention)
            + AccessRetention.rules(config.retention)
            + CRMRetention.rules(config.retention)
            + MessagingRetention.rules(config.retention)
            + ConversationsRetention.rules(config.retention, tickets: config.tickets)
            + MediaRetention.rules(config.media, files: MediaFileStore(config))
    }
}

extension MediaFileStore {
    /// The media folder the configuration names (`media.directory`, else beside the database).
    package init(_ config: GatewayConfig) {
        self.init(directory: config.media.resolvedDirectory(databasePath: config.store.path))
    }
}
