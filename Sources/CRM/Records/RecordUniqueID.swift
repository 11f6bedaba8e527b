import Crypto

/// A record's `unique_id`: a UUID version 7 (RFC 9562) — 48 bits of creation milliseconds, then random bits. It is as
/// unguessable as a random UUID for the parts that matter, and time-ordered, so new ids append to the unique index
/// instead of touching a random page of it on every insert (a measurable share of the writer's I/O).
package enum RecordUniqueID {
    package static func make(millis: Int64) -> String {
        var bytes = SecureRandom.bytes(16)
        let time = UInt64(max(0, millis)) & 0xFFFF_FFFF_FFFF
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: time >> (40 - 8 * UInt64(index))) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // RFC 9562 variant
        // 8-4-4-4-12 lowercase hex digits, written as bytes: this runs on the single writer for every record.
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
