import CMicroHTTPD

/// The certificate chain, private key and priority string of one HTTPS daemon, as the C strings libmicrohttpd takes,
/// checked with GnuTLS before any daemon is started with them.
///
/// The daemon owns it for its whole life (MHD keeps the pointers it was given) and drops it after stopping; the key's
/// copy is wiped before it is freed.
final class MHDTLSMaterial {
    let certificateChain: UnsafeMutablePointer<CChar>
    let privateKey: UnsafeMutablePointer<CChar>
    let priorities: UnsafeMutablePointer<CChar>

    /// Throws `.tlsUnsupported` when libmicrohttpd has no TLS, and `.tlsRefused` with GnuTLS's reason when it refuses
    /// the certificate, the key (not matching the certificate included) or the priorities.
    init(_ tls: HTTPServerTLS) throws(HTTPServerError) {
        guard gw_mhd_tls_supported() != 0 else { throw .tlsUnsupported }
        func copy(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar> {
            let copied = bytes.withUnsafeBytes { gw_secret_copy($0.baseAddress, $0.count) }
            guard let copied else { fatalError("out of memory copying TLS material") }
            return copied
        }
        certificateChain = copy(tls.credentials.certificateChainPEM)
        privateKey = copy(tls.credentials.privateKeyPEM)
        priorities = copy(Array(tls.priorities.utf8))

        let sink = UnsafeMutablePointer<gw_mhd_log_sink>.allocate(capacity: 1)
        gw_mhd_log_sink_init(sink)
        defer {
            gw_mhd_log_sink_destroy(sink)
            sink.deallocate()
        }
        guard gw_mhd_tls_accepts(certificateChain, privateKey, priorities, sink) != 0 else {
            // GnuTLS's first message says why; the last is MHD's generic "Failed to initialize TLS support."
            let reason = MHDDaemon.message(from: sink, first: true) ?? "refused without a reason"
            throw .tlsRefused(reason)
        }
    }

    deinit {
        gw_secret_free(certificateChain)
        gw_secret_free(privateKey)
        gw_secret_free(priorities)
    }
}
