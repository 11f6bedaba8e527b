/// Which outside system a stored delivery came from. The raw value is what the inbox table stores.
public enum InboxSource: String, Sendable, CaseIterable {
    case whatsapp
    case chatbot
    case agent
}
