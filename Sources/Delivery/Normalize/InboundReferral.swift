import GatewayKit
/// The ad or post a customer came from: WhatsApp adds `referral` to the first message of a customer who tapped a
/// click-to-WhatsApp ad or a post's button.
public struct InboundReferral: Sendable, Equatable {
    /// `ad` or `post`.
    public var sourceType: String?
    /// The ad's or post's id.
    public var sourceID: String?
    public var sourceURL: String?
    public var headline: String?
    public var body: String?
    /// `image` or `video`.
    public var mediaType: String?
    /// The click id Meta gives the ad click (for conversion reporting back to Meta).
    public var clickID: String?

    public init(sourceType: String? = nil, sourceID: String? = nil, sourceURL: String? = nil, headline: String? = nil,
                body: String? = nil, mediaType: String? = nil, clickID: String? = nil) {
        self.sourceType = sourceType
        self.sourceID = sourceID
        self.sourceURL = sourceURL
        self.headline = headline
        self.body = body
        self.mediaType = mediaType
        self.clickID = clickID
    }

    /// `{"source_type"?, "source_id"?, "source_url"?, "headline"?, "body"?, "media_type"?, "click_id"?}`.
    public func toJSON() -> JSONValue {
        var o: [String: JSONValue] = [:]
        o.put("source_type", sourceType)
        o.put("source_id", sourceID)
        o.put("source_url", sourceURL)
        o.put("headline", headline)
        o.put("body", body)
        o.put("media_type", mediaType)
        o.put("click_id", clickID)
        return .object(o)
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(sourceType: try r.optionalString("source_type"), sourceID: try r.optionalString("source_id"),
                  sourceURL: try r.optionalString("source_url"), headline: try r.optionalString("headline"),
                  body: try r.optionalString("body"), mediaType: try r.optionalString("media_type"),
                  clickID: try r.optionalString("click_id"))
    }
}
