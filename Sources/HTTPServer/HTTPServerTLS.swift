/// What an `HTTPServer` needs to serve HTTPS itself (libmicrohttpd with GnuTLS): the certificate and key, the
/// protocol versions it accepts, and the `Strict-Transport-Security` header it adds to every response.
///
/// A server started with TLS speaks nothing else on its port: a plain-HTTP request gets no answer (the handshake
/// fails and the connection is closed).
public struct HTTPServerTLS: Sendable {
    /// TLS 1.3 and 1.2 only, GnuTLS's default ciphers within them: older versions have known weaknesses and no
    /// current client needs them, so their handshakes are refused.
    public static let modernPriorities = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
    /// One year, the value HSTS preload lists ask for.
    public static let defaultStrictTransportSecurityMaxAge = 31_536_000

    public var credentials: TLSCredentials
    /// A GnuTLS priority string; a string GnuTLS refuses makes `start()` throw `HTTPServerError.tlsRefused`.
    public var priorities: String
    /// The `max-age` of the `Strict-Transport-Security` header on every response (telling browsers to use HTTPS for
    /// this host from now on); nil = no header.
    public var strictTransportSecurityMaxAge: Int?

    public init(credentials: TLSCredentials,
                priorities: String = HTTPServerTLS.modernPriorities,
                strictTransportSecurityMaxAge: Int? = HTTPServerTLS.defaultStrictTransportSecurityMaxAge) {
        self.credentials = credentials
        self.priorities = priorities
        self.strictTransportSecurityMaxAge = strictTransportSecurityMaxAge
    }

    /// The header value, computed once per daemon rather than per response.
    var strictTransportSecurity: String? {
        strictTransportSecurityMaxAge.map { "max-age=\(max(0, $0))" }
    }
}

/// A server certificate chain and its private key, both PEM: the chain starts with the server's own certificate,
/// intermediates may follow; the key must not be encrypted. Handed to GnuTLS as they are.
///
/// The key is secret: printing or dumping a value shows only the sizes.
public struct TLSCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var certificateChainPEM: [UInt8]
    public var privateKeyPEM: [UInt8]

    public init(certificateChainPEM: [UInt8], privateKeyPEM: [UInt8]) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
    }

    public var description: String {
        "TLSCredentials(certificate chain: \(certificateChainPEM.count) bytes, private key: redacted)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
