import Configuration
import Crypto
import GatewayKit
import HTTPServer

/// HTTPS served by the gateway itself: the certificate files read at start-up, and re-read on demand (SIGHUP).
extension GatewayApp {
    /// Re-reads `server.tls_cert` and `server.tls_key` and serves them to every connection accepted from now on;
    /// connections already open finish on the certificate they were opened with, and no request is dropped (see
    /// `HTTPServer.reloadTLS(_:)`). Logs `tls_reloaded` with the new certificate's subject, serial and end of validity.
    ///
    /// Files that cannot be served (unreadable, not PEM, a key that is not the certificate's, refused by GnuTLS) change
    /// nothing: the current certificate stays, and `tls_reload_failed` names the setting at fault. Returns whether the
    /// new certificate is being served. Safe to call from any thread.
    @discardableResult
    public func reloadTLS() -> Bool {
        guard let tlsFiles else {
            log.warning("tls_reload_skipped", ["reason": "plain HTTP: server.tls_cert and server.tls_key are not set"])
            return false
        }
        let loaded: (credentials: TLSCredentials, certificate: TLSKeyPair)
        do {
            loaded = try tlsFiles.load()
        } catch {
            log.error("tls_reload_failed", ["error": error.description, "serving": "the previous certificate"])
            return false
        }
        do {
            try server.reloadTLS(loaded.credentials)
        } catch {
            let reason = TLSFiles.configError(for: error)?.description ?? error.description
            log.error("tls_reload_failed", ["error": reason, "serving": "the previous certificate"])
            return false
        }
        log.info("tls_reloaded", ["subject": loaded.certificate.subject, "serial": loaded.certificate.serialNumber,
                                  "not_after": loaded.certificate.notAfter])
        return true
    }

    /// The HTTPS settings of the server, from the files of `server.tls_cert` / `server.tls_key`; nil for plain HTTP.
    static func loadTLS(_ files: TLSFiles?, server: GatewayConfig.Server, log: EventLog) throws(ConfigError)
        -> HTTPServerTLS? {
        guard let files else { return nil }
        let loaded = try files.load()
        log.info("tls_certificate", ["subject": loaded.certificate.subject, "serial": loaded.certificate.serialNumber,
                                     "not_after": loaded.certificate.notAfter])
        return HTTPServerTLS(credentials: loaded.credentials, priorities: HTTPServerTLS.modernPriorities,
                             strictTransportSecurityMaxAge: server.hstsMaxAgeSeconds)
    }
}
