import Foundation
import GatewayKit
import HTTPServer

/// The HTTP server as a ``Service``: it stops by refusing new connections and letting requests in flight finish for
/// up to the drain timeout.
final class HTTPService: Service, @unchecked Sendable {
    let server: HTTPServer
    private let drainTimeout: TimeInterval

    init(_ server: HTTPServer, drainTimeout: TimeInterval) {
        self.server = server
        self.drainTimeout = drainTimeout
    }

    /// Starts listening; a certificate GnuTLS refuses (or a libmicrohttpd without TLS) is a configuration error.
    func start() throws {
        do {
            try server.start()
        } catch let error as HTTPServerError {
            throw TLSFiles.configError(for: error) ?? error
        }
    }

    func stop() { server.stop(drainTimeout: drainTimeout) }
}
