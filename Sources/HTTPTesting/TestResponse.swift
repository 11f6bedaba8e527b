import Foundation

/// A response as read off the wire, parsed just enough for assertions.
package struct TestResponse: Sendable {
    package let status: Int
    package let headers: [(String, String)]
    package let body: [UInt8]
    /// False while fewer body bytes than Content-Length arrived.
    package let isComplete: Bool

    package var bodyText: String { String(decoding: body, as: UTF8.self) }

    package func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// nil until the header block is complete.
    package static func parse(_ bytes: [UInt8]) -> TestResponse? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.indices.dropLast(3).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            return nil
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let rest = Array(bytes[(end + 4)...])
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) }
        guard let length else {
            return TestResponse(status: status, headers: headers, body: rest, isComplete: true)
        }
        return TestResponse(status: status, headers: headers, body: Array(rest.prefix(length)),
                            isComplete: rest.count >= length)
    }
}
