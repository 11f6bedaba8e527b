import Crypto

/// A record's `unique_id`: a UUID version 7 (RFC 9562) — 48 bits of creation milliseconds, then random bits. It is as
/// unguessable as a random UUID for the parts that matter, and time-ordered, so new ids append to the unique index
/// instead of touching a random page of it on every insert (a measurable share of the writer's I/O).
enum RecordUniqueID {
    static func make(millis: Int64) -> String {
        var bytes = SecureRandom.bytes(16)
        let time = UInt64(max(0, millis)) & 0xFFFF_FFFF_FFFF
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: time >> (40 - 8 * UInt64(index))) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // RFC 9562 variant
        let hex = Hex.encode(bytes)
        var text = ""
        text.reserveCapacity(36)
        for (offset, character) in hex.enumerated() {
            if [8, 12, 16, 20].contains(offset) { text.append("-") }
            text.append(character)
        }
        return text
    }
}
