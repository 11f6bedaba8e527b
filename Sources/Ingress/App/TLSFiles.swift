import Configuration
import Crypto
import Foundation
import GatewayKit
import HTTPServer

/// The certificate and key files `server.tls_cert` and `server.tls_key` name, read and checked at start-up and again
/// on every reload (SIGHUP).
///
/// Every problem is a ``ConfigError`` naming the setting at fault — unreadable, not PEM, an encrypted key, the key of
/// another certificate — so that `gateway serve` exits 78 with it at start-up, and a reload logs it and keeps the
/// certificate it has. Messages name files, never what is in them.
struct TLSFiles: Sendable {
    static let certificateKey = "server.tls_cert"
    static let privateKeyKey = "server.tls_key"
    /// Far more than any certificate chain or key; a bigger file is the wrong file (and a device such as /dev/zero
    /// would never end).
    static let maxFileBytes = 1 << 20

    let certificatePath: String
    let keyPath: String

    /// nil when the configuration serves plain HTTP (the loader refuses one path without the other).
    init?(_ server: GatewayConfig.Server) {
        guard let certificatePath = server.tlsCert, let keyPath = server.tlsKey else { return nil }
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }

    /// Reads both files and checks that the key is the certificate's. Returns the credentials to serve and what is
    /// public about the certificate, for the log.
    func load() throws(ConfigError) -> (credentials: TLSCredentials, certificate: TLSKeyPair) {
        let certificatePEM = try Self.read(certificatePath, key: Self.certificateKey)
        let privateKeyPEM = try Self.read(keyPath, key: Self.privateKeyKey)
        do {
            let pair = try TLSKeyPair(certificatePEM: certificatePEM, privateKeyPEM: privateKeyPEM)
            return (TLSCredentials(certificateChainPEM: certificatePEM, privateKeyPEM: privateKeyPEM), pair)
        } catch .certificateNotPEM {
            throw .invalidValue(key: Self.certificateKey, reason: "\(certificatePath) holds no PEM certificate")
        } catch .keyDoesNotMatchCertificate {
            let mismatch = TLSKeyPairError.keyDoesNotMatchCertificate
            throw .invalidValue(key: Self.privateKeyKey,
                                reason: "\(keyPath) \(mismatch) in \(certificatePath) (\(Self.certificateKey))")
        } catch {
            throw .invalidValue(key: Self.privateKeyKey, reason: "\(keyPath) \(error)")
        }
    }

    /// The configuration error for what the HTTP server refused about TLS after the files passed ``load()`` (GnuTLS
    /// refusing what OpenSSL read, or a libmicrohttpd without TLS); nil for errors that are not about TLS.
    static func configError(for error: HTTPServerError) -> ConfigError? {
        switch error {
        case .tlsRefused(let reason):
            return .invalidValue(key: certificateKey, reason: "GnuTLS refused it with \(privateKeyKey): \(reason)")
        case .tlsUnsupported:
            return .invalidValue(key: certificateKey, reason: "\(error)")
        case .startFailed, .reloadFailed:
            return nil
        }
    }

    private static func read(_ path: String, key: String) throws(ConfigError) -> [UInt8] {
        let bytes: Data?
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            bytes = try handle.read(upToCount: maxFileBytes + 1)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "not a readable file" : "no such file"
            throw .invalidValue(key: key, reason: "cannot read \(path): \(reason)")
        }
        let contents = [UInt8](bytes ?? Data())
        guard contents.count <= maxFileBytes else {
            throw .invalidValue(key: key, reason: "\(path) is larger than \(maxFileBytes >> 20) MiB")
        }
        return contents
    }
}
