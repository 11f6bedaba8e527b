import Delivery
import GatewayKit
import WhatsAppAdapter

/// A WhatsApp webhook body through the ingress shape check and the normalizer. The normalizer may refuse only what
/// is not JSON (with the parser's error); everything else becomes items and per-element failures. Each item must be
/// what the applier can read back: its payload, through `JSONWriter` and `JSONParser`, decodes with
/// `InboundEvent(json:)` to an event of the same kind and dedupe key, and no two items share a key. The event an item
/// was made from is what its payload reads back as, and its payload text is its payload written.
enum WhatsAppFuzzing {
    static func run(_ bytes: [UInt8]) throws(FuzzFinding) -> FuzzOutcome {
        let result: NormalizationResult
        do {
            result = try WhatsAppWebhookNormalizer().normalize(bytes)
        } catch let error as JSONParseError {
            return .refused(error.description)
        } catch {
            throw FuzzFinding(.whatsapp, "normalize threw an untyped error: \(type(of: error)) \(error)")
        }
        // The body parsed (the normalizer said so), so this parse succeeds too.
        guard let json = try? JSONParser.parse(bytes) else {
            throw FuzzFinding(.whatsapp, "the normalizer accepted a body the parser refuses")
        }
        let envelopeErrors = WhatsAppEnvelope.validate(json)
        // The acknowledgement parses only the envelope's levels: the same verdict.
        guard let outer = try? JSONParser.parse(bytes, outerLevels: WhatsAppEnvelope.levels),
              WhatsAppEnvelope.validate(outer) == envelopeErrors
        else {
            throw FuzzFinding(.whatsapp, "the envelope's levels alone give another verdict than the whole body")
        }
        guard envelopeErrors.count <= WhatsAppEnvelope.maxErrors else {
            throw FuzzFinding(.whatsapp, "\(envelopeErrors.count) envelope errors, more than maxErrors")
        }
        if let unnamed = envelopeErrors.first(where: { $0.field.isEmpty || $0.message.isEmpty }) {
            throw FuzzFinding(.whatsapp, "an envelope error names no field or says nothing: \(unnamed)")
        }
        try checkItems(result)
        // Only a body that is not an object fails at the root, whose path is "".
        if let failure = result.failures.first(where: { $0.error.isEmpty || ($0.path.isEmpty && json.objectValue != nil) }) {
            throw FuzzFinding(.whatsapp, "an item failure names no path or says nothing: '\(failure.path)'")
        }
        if envelopeErrors.isEmpty { return .accepted }
        return .refused(envelopeErrors.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
    }

    private static func checkItems(_ result: NormalizationResult) throws(FuzzFinding) {
        var keys: Set<String> = []
        for item in result.items {
            guard keys.insert(item.dedupeKey).inserted else {
                throw FuzzFinding(.whatsapp, "two items share the dedupe key \(item.dedupeKey)")
            }
            try JSONFuzzing.checkRoundTrip(item.payload, target: .whatsapp)
            let event: InboundEvent
            do {
                event = try InboundEvent(json: JSONParser.parse(JSONWriter.bytes(item.payload)))
            } catch {
                throw FuzzFinding(.whatsapp, "the payload of \(item.kind) item \(item.dedupeKey) does not read back: "
                                  + "\(error)")
            }
            guard event.kind == item.kind, WhatsAppWebhookNormalizer.dedupeKey(for: event) == item.dedupeKey else {
                throw FuzzFinding(.whatsapp, "the payload of \(item.dedupeKey) reads back as another \(event.kind) item")
            }
            guard JSONWriter.bytes(event.toJSON()) == JSONWriter.bytes(item.payload) else {
                throw FuzzFinding(.whatsapp, "the payload of \(item.dedupeKey) changes when read back")
            }
            // The applier takes the event the item was made from, and the store the payload text, as they are: both
            // must be what the general path (reading the payload's tree, writing it) makes.
            guard let made = item.event, made == (try? InboundEvent(json: item.payload)) else {
                throw FuzzFinding(.whatsapp, "the event of \(item.dedupeKey) is not what its payload reads back as")
            }
            guard item.payloadText == JSONWriter.string(item.payload) else {
                throw FuzzFinding(.whatsapp, "the payload text of \(item.dedupeKey) is not its payload written")
            }
        }
    }
}
