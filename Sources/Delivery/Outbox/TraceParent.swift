import Crypto

/// W3C Trace Context `traceparent` values (`00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`) carried from an
/// inbound request to the outbound calls it causes.
public enum TraceParent {
    /// `header` when it is a well-formed traceparent, else a new one starting a trace here, so every outbound call
    /// carries one and a forged value cannot smuggle other text into outbound headers.
    public static func continuing(_ header: String?) -> String {
        if let header, isValid(header) { return header.lowercased() }
        return started()
    }

    /// A new sampled traceparent: a random 16-byte trace id and 8-byte parent id, drawn together and written into
    /// the value's 55 bytes directly (it runs for every request that arrives without one).
    static func started() -> String {
        let ids = Array(Hex.encode(SecureRandom.bytes(24)).utf8)
        return String(unsafeUninitializedCapacity: 55) { text in
            var end = 0
            func append(_ bytes: some Sequence<UInt8>) {
                for byte in bytes {
                    text[end] = byte
                    end += 1
                }
            }
            append("00-".utf8)
            append(ids[..<32])
            append("-".utf8)
            append(ids[32...])
            append("-01".utf8)
            return end
        }
    }

    public static func isValid(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].count == 2, parts[0].lowercased() != "ff", parts[1].count == 32,
              parts[2].count == 16, parts[3].count == 2
        else { return false }
        // ASCII hex only: `Character.isHexDigit` also takes fullwidth digits and letters, which would carry
        // non-ASCII text into outbound headers.
        let isHex = { (part: Substring) in part.utf8.allSatisfy { Hex.isDigit($0) } }
        let allZero = { (part: Substring) in part.allSatisfy { $0 == "0" } }
        return parts.allSatisfy(isHex) && !allZero(parts[1]) && !allZero(parts[2])
    }
}
