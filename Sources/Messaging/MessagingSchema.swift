import Storage

/// The migrations of the tables this module owns (outbound WhatsApp messages and their delivery statuses, what Meta
/// says of each template and of the account's health). Append new
/// ones; never edit an applied one. Version numbers are shared with every other module's migrations: the app hands all
/// of them to the store.
public enum MessagingSchema {
    public static let migrations: [Migration] = [
        WhatsAppOutboundMigration.migration,
        WhatsAppTemplateStatesMigration.migration,
        WhatsAppAccountMigration.migration,
        WhatsAppMessageDetailsMigration.migration,
        MessagingRetention.migration,
        WhatsAppMediaSendsMigration.migration,
    ]
}
