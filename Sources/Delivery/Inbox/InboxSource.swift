/// Which outside system a stored delivery came from: its name is what the inbox table stores, and what metrics and
/// logs call the source. The product's own sources are below; a new one is declared beside the adapter that reads it
/// (`extension InboxSource { static let … }`), with no change here.
public struct InboxSource: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ name: String) { self.rawValue = name }

    public var description: String { rawValue }

    /// WhatsApp Cloud API webhooks (Meta).
    public static let whatsapp = InboxSource("whatsapp")
    /// The chatbot's Standard Webhooks commands.
    public static let chatbot = InboxSource("chatbot")
    /// The agentic-AI agents' Standard Webhooks commands.
    public static let agent = InboxSource("agent")
}
