/// Where the links the gateway hands out point, and how the chat-history preview of a new record is fetched from the
/// Chat Panel API. Loaded from the `crm`, `omnichannel` and `chat_panel` sections
/// (see `Config/gateway.example.json`).
public struct RecordSettings: Sendable, Equatable {
    /// CRM record pages: a deal's `external_url` is `<base>/deals/<id>`, a ticket's `<base>/tickets/<id>`; nil (the
    /// default: links depend on the deployment) = `external_url` is null.
    public var crmRecordURLBase: String?
    /// Omnichannel chat rooms: a timeline entry's deeplink is `<base>/<percent-encoded room_id>`; nil (the default) =
    /// entries have no deeplink (`room_deeplink` is null).
    public var roomURLBase: String?
    /// One Chat Panel attempt (connect + transfer); short, so a slow Chat Panel cannot pile up fetches.
    public var chatPanelTimeoutMilliseconds = 2_000
    /// Attempts per timeline entry before it is written without a preview (deeplink and creator only).
    public var chatPanelMaxAttempts = 3
    /// Wait before the second attempt; doubled before each further one.
    public var chatPanelRetryDelayMilliseconds = 500
    /// Characters of chat history kept in a timeline entry (a preview, not a transcript).
    public var previewMaxCharacters = 280
    /// Most recent messages asked for per preview.
    public var historyMessageLimit = 20

    public init() {}
}
