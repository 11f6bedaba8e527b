import Foundation
import GatewayKit

/// An address range in CIDR notation (`10.0.0.0/8`, `192.168.1.5`, `fd00::/8`, `::1`): what the allow-list of `/v1`
/// and the console is made of. An address alone is a range of one.
public struct NetworkRange: Sendable, Equatable {
    /// The network's address bytes (4 for IPv4, 16 for IPv6).
    let network: [UInt8]
    let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = Self.bytes(String(parts[0])) else { return nil }
        let length: Int
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...(address.count * 8)).contains(given),
                  parts[1].allSatisfy(\.isASCIIDigit) else { return nil }
            length = given
        } else {
            length = address.count * 8
        }
        network = Self.masked(address, length)
        prefixLength = length
    }

    /// True when the numeric address `text` (as libmicrohttpd reports the client) lies in this range. An IPv4-mapped
    /// IPv6 address (`::ffff:10.1.2.3`) counts as its IPv4 address.
    public func contains(_ text: String) -> Bool {
        guard var address = Self.bytes(text) else { return false }
        if address.count == 16, network.count == 4, address[0..<10].allSatisfy({ $0 == 0 }),
           address[10] == 0xFF, address[11] == 0xFF {
            address = Array(address[12...])
        }
        return address.count == network.count && Self.masked(address, prefixLength) == network
    }

    private static func masked(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = max(0, min(8, length - index * 8))
            return bits == 8 ? byte : byte & UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
        }
    }

    private static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
