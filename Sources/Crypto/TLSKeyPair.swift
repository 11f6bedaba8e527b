import CCrypto
import Foundation

/// A TLS server's certificate and private key, read from PEM by OpenSSL and checked to belong together.
///
/// Checked before a server is started or reloaded with them, so that a wrong file is refused with a reason that
/// says which of the two it is (the TLS library that serves them only says that the pair failed). Keeps only what is
/// public about the certificate, for logs; the key is read, compared and released.
public struct TLSKeyPair: Sendable, Equatable {
    /// The certificate's subject, one line (`/CN=gateway.example.com`).
    public let subject: String
    /// The certificate's serial number, hexadecimal.
    public let serialNumber: String
    /// The end of the certificate's validity, RFC 3339 UTC (`2027-01-31T12:00:00Z`).
    public let notAfter: String

    /// Reads the first certificate of `certificatePEM` (a chain starts with the server's own) and the private key of
    /// `privateKeyPEM`, and checks that the key is the certificate's.
    public init(certificatePEM: [UInt8], privateKeyPEM: [UInt8]) throws(TLSKeyPairError) {
        // OpenSSL queues an error for every failed read; leave none behind for the next user of this thread
        // (libcurl's TLS checks the queue).
        defer { ERR_clear_error() }
        guard let certificate = Self.read(certificatePEM, with: { PEM_read_bio_X509($0, nil, nil, nil) }) else {
            throw .certificateNotPEM
        }
        defer { X509_free(certificate) }
        // A key that needs a passphrase is refused rather than prompted for: nobody is at a terminal to type one.
        guard let key = Self.read(privateKeyPEM, with: { PEM_read_bio_PrivateKey($0, nil, { _, _, _, _ in 0 }, nil) })
        else {
            throw Self.isEncrypted(privateKeyPEM) ? .privateKeyEncrypted : .privateKeyNotPEM
        }
        defer { EVP_PKEY_free(key) }
        guard X509_check_private_key(certificate, key) == 1 else { throw .keyDoesNotMatchCertificate }

        subject = Self.subject(of: certificate)
        serialNumber = Self.serialNumber(of: certificate)
        notAfter = Self.notAfter(of: certificate)
    }

    /// Runs an OpenSSL PEM reader over `bytes` through a read-only memory BIO.
    private static func read<Object>(_ bytes: [UInt8], with reader: (OpaquePointer) -> Object?) -> Object? {
        bytes.withNonNullBytes { pointer, count -> Object? in
            guard let bio = BIO_new_mem_buf(pointer, Int32(clamping: count)) else { return nil }
            defer { BIO_free(bio) }
            return reader(bio)
        }
    }

    /// PEM keys under a passphrase say so in their armour (PKCS#8 `ENCRYPTED PRIVATE KEY`, or the traditional
    /// `Proc-Type: 4,ENCRYPTED` header).
    private static func isEncrypted(_ pem: [UInt8]) -> Bool {
        String(decoding: pem, as: UTF8.self).contains("ENCRYPTED")
    }

    private static func subject(of certificate: OpaquePointer) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard X509_NAME_oneline(X509_get_subject_name(certificate), &buffer, Int32(buffer.count)) != nil else {
            return ""
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func serialNumber(of certificate: OpaquePointer) -> String {
        guard let number = ASN1_INTEGER_to_BN(X509_get_serialNumber(certificate), nil) else { return "" }
        defer { BN_free(number) }
        guard let hex = BN_bn2hex(number) else { return "" }
        defer { CRYPTO_free(hex, nil, 0) }
        return String(cString: hex)
    }

    private static func notAfter(of certificate: OpaquePointer) -> String {
        var time = tm()
        guard let end = X509_get0_notAfter(certificate), ASN1_TIME_to_tm(end, &time) == 1 else { return "" }
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", time.tm_year + 1900, time.tm_mon + 1, time.tm_mday,
                      time.tm_hour, time.tm_min, time.tm_sec)
    }
}

/// Why a certificate and key were refused. Descriptions never contain key material.
public enum TLSKeyPairError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No PEM certificate could be read (not PEM, another kind of PEM block, or a broken one).
    case certificateNotPEM
    /// No PEM private key could be read.
    case privateKeyNotPEM
    /// The private key is encrypted; only unencrypted keys can be served.
    case privateKeyEncrypted
    /// The key is not the certificate's (for instance the key of another certificate).
    case keyDoesNotMatchCertificate

    public var description: String {
        switch self {
        case .certificateNotPEM: return "holds no PEM certificate"
        case .privateKeyNotPEM: return "holds no PEM private key"
        case .privateKeyEncrypted: return "holds an encrypted private key; only unencrypted keys are supported"
        case .keyDoesNotMatchCertificate: return "holds a private key that does not belong to the certificate"
        }
    }
}
