import Delivery
import Storage

/// The migrations of the domain's tables (deals, tickets, rooms, timeline, identity, conversation tickets, WhatsApp
/// messages, POS outlets, renewals, outlet links). Append new migrations; never edit an applied one. Version numbers
/// are shared with every other module's migrations (``DeliverySchema``): the app hands all of them to the store.
public enum CoreSchema {
    public static let migrations: [Migration] = [
        Migration(version: 3, name: "deals, tickets, rooms, timeline", sql: DealsSchema.sql),
        IdentityMigration.migration,
        ConversationTicketsMigration.migration,
        WhatsAppOutboundMigration.migration,
        POSMigration.migration,
        DealWritePathMigration.migration,
        RenewalsMigration.migration,
        TicketRepliesMigration.migration,
        TicketOutletMigration.migration,
        RenewalRepliesMigration.migration,
        RoomSlotRepairMigration.migration,
    ]
}
