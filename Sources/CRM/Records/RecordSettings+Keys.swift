import GatewayKit

extension RecordSettings {
    /// The keys of the deal and ticket records: room and CRM links, the chat panel preview: file
    /// key, environment variable, check and default, next to the settings.
    public static let configKeys: [ConfigKey<RecordSettings>] = [
        .optionalString("omnichannel.room_url_base", env: "OMNICHANNEL_ROOM_URL_BASE", \.roomURLBase,
                        isURL: true),
        .duration("chat_panel.timeout", \.chatPanelTimeoutMilliseconds, range: 1...60_000),
        .int("chat_panel.max_attempts", \.chatPanelMaxAttempts, range: 1...10),
        .duration("chat_panel.retry_delay", \.chatPanelRetryDelayMilliseconds, range: 1...600_000),
        .int("chat_panel.preview_max_chars", \.previewMaxCharacters, range: 16...4_000),
        .int("chat_panel.history_limit", \.historyMessageLimit, range: 1...200),
        .optionalString("crm.record_url_base", env: "CRM_RECORD_URL_BASE", \.crmRecordURLBase, isURL: true),
    ]
}
