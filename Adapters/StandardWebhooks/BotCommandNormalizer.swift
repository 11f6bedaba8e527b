import GatewayCore
import GatewayKit

/// Turns a stored chatbot/agent delivery into one `command` item. The body was validated at ingress; parsing it again
/// here keeps the inbox the only source of truth (the item is rebuilt from the stored raw bytes after a crash).
public struct BotCommandNormalizer: DeliveryNormalizer {
    public let source: InboxSource

    public init(source: InboxSource) {
        self.source = source
    }

    public func normalize(_ delivery: StoredDelivery) throws -> NormalizationResult {
        let json = try JSONParser.parse(delivery.body)
        switch BotCommandEnvelope.parse(json) {
        case .success(let command):
            return NormalizationResult(items: [
                NormalizedItem(kind: "command", dedupeKey: "\(source.rawValue):cmd:\(delivery.publicID)",
                               occurredAt: nil, payload: command.json),
            ])
        case .failure(let error):
            return NormalizationResult(failures: [ItemFailure(path: "", error: "\(error)", raw: json)])
        }
    }
}
