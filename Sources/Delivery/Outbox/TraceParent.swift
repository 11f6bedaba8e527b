import Crypto

/// W3C Trace Context `traceparent` values (`00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`) carried from an
/// inbound request to the outbound calls it causes.
public enum TraceParent {
    /// `header` when it is a well-formed traceparent, else a new one starting a trace here, so every outbound call
    /// carries one and a forged value cannot smuggle other text into outbound headers.
    public static func continuing(_ header: String?) -> String {
        if let header, isValid(header) { return header.lowercased() }
        return "00-\(Hex.encode(SecureRandom.bytes(16)))-\(Hex.encode(SecureRandom.bytes(8)))-01"
    }

    public static func isValid(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].count == 2, parts[0].lowercased() != "ff", parts[1].count == 32,
              parts[2].count == 16, parts[3].count == 2
        else { return false }
        let isHex = { (part: Substring) in part.allSatisfy { $0.isHexDigit } }
        let allZero = { (part: Substring) in part.allSatisfy { $0 == "0" } }
        return parts.allSatisfy(isHex) && !allZero(parts[1]) && !allZero(parts[2])
    }
}
