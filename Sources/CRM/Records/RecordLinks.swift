/// The links the gateway hands out: a record's CRM page (`external_url`) and an Omnichannel room (the timeline
/// deeplink). Built from configuration so links follow the deployment, not the data; a deployment that configures no
/// base gets no links (nil, shown as null) rather than links into somebody else's system.
public struct RecordLinks: Sendable {
    private let recordBase: String?
    private let roomBase: String?

    public init(_ settings: RecordSettings) {
        recordBase = settings.crmRecordURLBase.map(Self.trimmingSlash)
        roomBase = settings.roomURLBase.map(Self.trimmingSlash)
    }

    /// nil without `crm.record_url_base`.
    public func externalURL(_ kind: RecordKind, id: Int64) -> String? {
        recordBase.map { "\($0)/\(kind.pathSegment)/\(id)" }
    }

    /// nil without `omnichannel.room_url_base`. The room id is percent-encoded as one path segment, so any room id
    /// yields a well-formed link to that room.
    public func roomDeeplink(_ roomID: String) -> String? {
        roomBase.map { "\($0)/\(Self.percentEncodedSegment(roomID))" }
    }

    /// Every byte of the UTF-8 form except the RFC 3986 unreserved characters becomes `%XX`. By hand: Foundation's
    /// `addingPercentEncoding` was a visible cost on the single writer thread, where the deeplink is built.
    static func percentEncodedSegment(_ text: String) -> String {
        guard !text.utf8.allSatisfy(isUnreserved) else { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func trimmingSlash(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
