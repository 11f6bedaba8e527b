import GatewayKit

/// Campaigns to segments, from the `campaigns` section (see `Config/gateway.example.json`); times in milliseconds.
public struct CampaignSettings: Sendable, Equatable {
    /// How many campaign messages are queued per second at most. The Cloud API takes 80 per second per number;
    /// campaigns leave the rest to conversations, so an agent's reply never waits behind a campaign.
    public var messagesPerSecond = 20
    /// A customer's message within this time after a campaign message counts as the reply to it.
    public var replyWindowMilliseconds = 72 * 3_600_000

    public init() {}

    public static let configKeys: [ConfigKey<CampaignSettings>] = [
        .int("campaigns.messages_per_second", env: "CAMPAIGNS_MESSAGES_PER_SECOND", \.messagesPerSecond, range: 1...80),
        .duration("campaigns.reply_window", \.replyWindowMilliseconds, range: 60_000...(30 * 86_400_000)),
    ]
}
