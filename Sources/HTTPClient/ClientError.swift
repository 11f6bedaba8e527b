import CCurl

/// Why a request produced no HTTP response. Grouped by what a caller can do about it:
/// connect and timeout failures are usually worth a retry, `invalidRequest` never is.
public enum ClientError: Error, Sendable, Equatable {
    /// Name resolution or TCP connect failed (nothing was sent).
    case couldNotConnect(String)
    /// `connectTimeout` or `totalTimeout` expired.
    case timedOut(String)
    /// TLS handshake or certificate verification failed.
    case tls(String)
    /// The connection broke while sending or receiving, or the server sent nothing or garbage.
    case sendOrReceive(String)
    /// The request itself is unusable: malformed URL, unsupported scheme, bad header or method.
    case invalidRequest(String)
    /// The client was shut down before the transfer completed.
    case shutDown
    /// Any other libcurl failure, with its `CURLcode`.
    case other(code: Int, message: String)
}

extension ClientError {
    /// Maps a failed transfer's `CURLcode` to a case; `detail` is libcurl's error buffer
    /// (more specific than `curl_easy_strerror`, e.g. it names the host and port).
    init(curlCode code: CURLcode, detail: String) {
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            self = .couldNotConnect(message)
        case CURLE_OPERATION_TIMEDOUT:
            self = .timedOut(message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED:
            self = .tls(message)
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
             CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_BAD_CONTENT_ENCODING:
            self = .sendOrReceive(message)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT:
            self = .invalidRequest(message)
        default:
            self = .other(code: Int(code.rawValue), message: message)
        }
    }
}
