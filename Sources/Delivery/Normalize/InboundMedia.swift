import GatewayKit
/// A media attachment (image, audio, video, document, sticker) as announced by the sender. The bytes are not in the
/// webhook: `id` is what a later download step asks the Cloud API for, and `sha256` lets it verify what it got.
public struct InboundMedia: Sendable, Equatable {
    public var id: String
    public var mimeType: String?
    public var sha256: String?
    public var caption: String?
    /// Original file name; documents only.
    public var filename: String?

    public init(id: String, mimeType: String? = nil, sha256: String? = nil, caption: String? = nil,
                filename: String? = nil) {
        self.id = id
        self.mimeType = mimeType
        self.sha256 = sha256
        self.caption = caption
        self.filename = filename
    }

    /// `{"id", "mime_type"?, "sha256"?, "caption"?, "filename"?}` — WhatsApp's own field names.
    public func toJSON() -> JSONValue {
        var o: [String: JSONValue] = ["id": .string(id)]
        o.put("mime_type", mimeType)
        o.put("sha256", sha256)
        o.put("caption", caption)
        o.put("filename", filename)
        return .object(o)
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(id: try r.string("id"), mimeType: try r.optionalString("mime_type"),
                  sha256: try r.optionalString("sha256"), caption: try r.optionalString("caption"),
                  filename: try r.optionalString("filename"))
    }
}
