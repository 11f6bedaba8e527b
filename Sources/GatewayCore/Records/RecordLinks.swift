import Foundation

/// The links the gateway hands out: a record's CRM page (`external_url`) and an Omnichannel room (the timeline
/// deeplink). Built from configuration so links follow the deployment, not the data.
public struct RecordLinks: Sendable {
    private let recordBase: String
    private let roomBase: String

    public init(_ settings: RecordSettings) {
        recordBase = Self.trimmingSlash(settings.crmRecordURLBase)
        roomBase = Self.trimmingSlash(settings.roomURLBase)
    }

    public func externalURL(_ kind: RecordKind, id: Int64) -> String {
        "\(recordBase)/\(kind.pathSegment)/\(id)"
    }

    /// The room id is percent-encoded as one path segment, so any room id yields a well-formed link to that room.
    public func roomDeeplink(_ roomID: String) -> String {
        "\(roomBase)/\(roomID.addingPercentEncoding(withAllowedCharacters: Self.segmentCharacters) ?? roomID)"
    }

    /// RFC 3986 unreserved characters: everything else in a room id is encoded.
    private static let segmentCharacters = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func trimmingSlash(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
