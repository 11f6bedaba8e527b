import Storage

/// The migrations of the tables this module owns (the conversation and workflow columns of tickets, their messages,
/// history, replies and CSAT). Append new ones; never edit an applied one. Version numbers are shared with every other
/// module's migrations: the app hands all of them to the store.
public enum ConversationsSchema {
    public static let migrations: [Migration] = [
        ConversationTicketsMigration.migration,
        TicketRepliesMigration.migration,
    ]
}
