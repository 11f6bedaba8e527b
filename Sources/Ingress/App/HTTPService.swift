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

    func start() throws { try server.start() }

    func stop() { server.stop(drainTimeout: drainTimeout) }
}
