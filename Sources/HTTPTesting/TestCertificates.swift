import Foundation

/// A throwaway certificate authority and server certificates it signs (P-256 keys, SAN `IP:127.0.0.1`, valid two
/// days), made with the `openssl` command line in a temporary directory that is removed with the value.
///
/// Clients in tests trust `caPath` only, so a handshake that verifies saw one of these certificates, and its common
/// name tells which one.
package final class TestCertificates: @unchecked Sendable {
    /// One issued certificate: its PEM file, its key's PEM file and its subject's common name.
    package struct Issued: Sendable {
        package let certificatePath: String
        package let keyPath: String
        package let commonName: String
    }

    package let directory: URL
    /// The CA certificate (PEM) to trust.
    package let caPath: String
    private let caKeyPath: String
    private var nextSerial = 0x1001

    package static let opensslPath = "/usr/bin/openssl"

    package init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-certs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        caPath = directory.appendingPathComponent("ca.pem").path
        caKeyPath = directory.appendingPathComponent("ca.key").path
        try Self.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                          "-keyout", caKeyPath, "-out", caPath, "-days", "2", "-subj", "/CN=Gateway Test CA"])
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A server certificate for 127.0.0.1 signed by the CA, files named after `commonName`.
    package func issue(commonName: String) throws -> Issued {
        let base = directory.appendingPathComponent(commonName).path
        let extensions = base + ".ext"
        try Data("""
            subjectAltName=IP:127.0.0.1
            basicConstraints=CA:FALSE
            keyUsage=digitalSignature
            extendedKeyUsage=serverAuth

            """.utf8).write(to: URL(fileURLWithPath: extensions))
        try Self.openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                          "-keyout", base + ".key", "-out", base + ".csr", "-subj", "/CN=\(commonName)"])
        let serial = String(nextSerial, radix: 16)
        nextSerial += 1
        try Self.openssl(["x509", "-req", "-in", base + ".csr", "-CA", caPath, "-CAkey", caKeyPath,
                          "-set_serial", "0x\(serial)", "-days", "2", "-extfile", extensions, "-out", base + ".pem"])
        return Issued(certificatePath: base + ".pem", keyPath: base + ".key", commonName: commonName)
    }

    /// A file in the directory with `text` in it (a broken certificate, say).
    package func write(_ text: String, named name: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs `openssl` with `arguments`; throws with its output when it fails.
    package static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opensslPath)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "openssl \(arguments.first ?? "") failed: \(text)")
        }
    }

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }
}
