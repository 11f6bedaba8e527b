import CRM
import Delivery
import GatewayKit

/// Reads a Chat Panel history answer and makes the timeline preview: the messages in the order given (oldest first),
/// one `Sender: text` line each (attachments as `[type]`), cut to `maxCharacters` with an ellipsis.
///
/// ```json
/// {"messages": [{"sender": "Customer", "text": "Hi, I'd like a quote", "sent_at": "2026-07-01T09:30:00Z"},
///               {"sender": "Bot", "type": "image"}]}
/// ```
/// A room without messages gives an empty preview (the entry is still complete).
public enum ChatPanelHistoryPreview {
    public static func preview(from body: [UInt8], maxCharacters: Int) throws(ChatHistoryFailure) -> String {
        guard let json = try? JSONParser.parse(body), let messages = json["messages"]?.arrayValue else {
            throw ChatHistoryFailure(reason: "invalid_response", detail: "history is not {\"messages\": [...]}",
                                     retryable: false)
        }
        let lines = messages.compactMap { message -> String? in
            let content = message["text"]?.stringValue ?? message["type"]?.stringValue.map { "[\($0)]" }
            guard let content, !content.isEmpty else { return nil }
            guard let sender = message["sender"]?.stringValue, !sender.isEmpty else { return content }
            return "\(sender): \(content)"
        }
        let text = lines.joined(separator: "\n")
        guard text.count > maxCharacters else { return text }
        return String(text.prefix(maxCharacters - 1)) + "…"
    }
}
