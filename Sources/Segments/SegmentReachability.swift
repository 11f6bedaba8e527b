import GatewayKit
import Storage

/// Who of a segment's members a campaign could reach, as of its last evaluation: on WhatsApp the members with a phone
/// or a BSUID and a conversation, by email the members with an email address. One set-based count over
/// `segment_audience` (the view a campaign's audience is read from too); the segment's detail and its Performance tab
/// both show these.
enum SegmentReachability {
    static func counts(of id: Int64, in c: any DatabaseConnection) throws -> (whatsapp: Int64, email: Int64) {
        let reach = try c.queryOne("""
            SELECT count(whatsapp_address) AS whatsapp, coalesce(sum(has_email), 0) AS email
            FROM segment_audience WHERE segment_id = ?
            """, [.integer(id)])
        return (whatsapp: reach?.int64("whatsapp") ?? 0, email: reach?.int64("email") ?? 0)
    }

    /// `part` of `whole` in percent, to one decimal (nil when `whole` is 0).
    static func percent(_ part: Int64, of whole: Int64) -> JSONValue {
        whole == 0 ? .null : .number((Double(part) / Double(whole) * 1000).rounded() / 10)
    }
}
