import GatewayKit
import Storage

/// Who of a segment's members a campaign could reach, as of its last evaluation: on WhatsApp the members with a phone
/// or a BSUID and a conversation, by email the members with an email address. One set-based count per channel over
/// the membership; the segment's detail and its Performance tab both show these.
enum SegmentReachability {
    static func counts(of id: Int64, in c: any DatabaseConnection) throws -> (whatsapp: Int64, email: Int64) {
        func members(having condition: String) throws -> Int64 {
            try c.queryOne("""
                SELECT count(*) AS n FROM segment_members m JOIN customer_profiles p ON p.customer_id = m.customer_id
                LEFT JOIN contact_ticket_totals tt ON tt.contact_id = p.contact_id
                WHERE m.segment_id = ? AND \(condition)
                """, [.integer(id)])?.int64("n") ?? 0
        }
        let has = "EXISTS (SELECT 1 FROM customer_identifier_values v WHERE v.customer_id = m.customer_id AND v.kind"
        return (whatsapp: try members(having: "\(has) IN ('phone', 'bsuid')) AND tt.conversations > 0"),
                email: try members(having: "\(has) = 'email')"))
    }

    /// `part` of `whole` in percent, to one decimal (nil when `whole` is 0).
    static func percent(_ part: Int64, of whole: Int64) -> JSONValue {
        whole == 0 ? .null : .number((Double(part) / Double(whole) * 1000).rounded() / 10)
    }
}
