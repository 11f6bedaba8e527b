import Foundation
import GatewayKit
import Messaging
/// What the Cloud API's answer to a send says: the message id of a 2xx
/// (`{"messaging_product", "contacts": [...], "messages": [{"id": "wamid.…"}]}`) or the error of a refusal
/// (`{"error": {"message": "(#131047) Re-engagement message", "type", "code", "error_data": {"details"},
/// "fbtrace_id"}}`).
enum CloudAPIAnswer {
    /// `messages[0].id` of a successful send.
    static func messageID(_ body: [UInt8]) -> String? {
        guard let id = (try? JSONParser.parse(body))?["messages"]?.arrayValue?.first?["id"]?.stringValue,
              !id.isEmpty else { return nil }
        return id
    }

    /// The error of a refused send, or nil when the body is not a Meta error.
    static func error(_ body: [UInt8]) -> WhatsAppMessageError? {
        guard let error = (try? JSONParser.parse(body))?["error"], let code = error["code"]?.int64Value else {
            return nil
        }
        // `message` carries the title after a "(#code) " prefix; the title is what operators recognise.
        var title = error["message"]?.stringValue ?? ""
        if title.hasPrefix("(#"), let close = title.firstIndex(of: ")") {
            title = String(title[title.index(after: close)...]).trimmingCharacters(in: .whitespaces)
        }
        if title.isEmpty { title = error["type"]?.stringValue ?? "error \(code)" }
        return WhatsAppMessageError(code: code, title: title, detail: error["error_data"]?["details"]?.stringValue)
    }
}
