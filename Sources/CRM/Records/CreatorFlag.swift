/// Who created (or is changing) a record, from the payload's `creator_flag`. Only the two values chatbots and agentic AI
/// send mean anything; absent or unknown values keep the CRM's default creator behaviour and are not propagated to
/// Omnichannel.
public enum CreatorFlag: String, Sendable, CaseIterable {
    case bot
    case agenticAI = "agentic_ai"

    /// `creator_flag` as sent, or nil when it is absent or not one of the known values.
    public init?(payload: String?) {
        guard let payload, let flag = CreatorFlag(rawValue: payload) else { return nil }
        self = flag
    }

    /// What the Creator field shows.
    public var label: String {
        switch self {
        case .bot: return "Bot"
        case .agenticAI: return "AI"
        }
    }

    /// Prefix of the observability events (`bot_deal_created`, `ai_ticket_created`).
    public var eventPrefix: String {
        switch self {
        case .bot: return "bot"
        case .agenticAI: return "ai"
        }
    }
}
