/// Errors thrown by `HTTPServer`.
public enum HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libmicrohttpd could not start (port in use, bad address, resources); the reason is its own log line
    /// when it gave one.
    case startFailed(String)
    /// TLS is configured but this libmicrohttpd was built without TLS support.
    case tlsUnsupported
    /// GnuTLS refused the certificate chain, the private key (not PEM, encrypted, not the certificate's) or the
    /// priority string; the reason is GnuTLS's, and never contains key material. Nothing was started or changed.
    case tlsRefused(String)
    /// A certificate reload could not be done (the server is not running, was started without TLS, or the
    /// successor daemon did not start); the running daemon carries on with the certificate it has.
    case reloadFailed(String)

    public var description: String {
        switch self {
        case .startFailed(let reason): return "HTTP server failed to start: \(reason)"
        case .tlsUnsupported:
            return "HTTPS is configured but libmicrohttpd was built without TLS support (MHD_FEATURE_TLS)"
        case .tlsRefused(let reason): return "the TLS library refused the certificate or key: \(reason)"
        case .reloadFailed(let reason): return "certificate reload failed: \(reason)"
        }
    }
}
