import CMicroHTTPD

/// Turns an `HTTPResponse` into a libmicrohttpd response and queues it on a connection.
enum MHDResponseWriter {
    /// Queues `response`; with `closeConnection` the client is told not to reuse the connection
    /// (used while the server drains); with `strictTransportSecurity` (HTTPS daemons only) the response
    /// carries that `Strict-Transport-Security` header. Returns MHD's verdict, which the access handler
    /// passes on: `MHD_NO` makes MHD close the connection.
    static func queue(_ response: HTTPResponse,
                      on connection: OpaquePointer,
                      closeConnection: Bool = false,
                      strictTransportSecurity: String? = nil,
                      liveStreams: LiveStreams) -> MHD_Result {
        guard let mhdResponse = makeResponse(response) else { return gw_mhd_no() }
        defer { MHD_destroy_response(mhdResponse) }

        for (name, value) in response.headers {
            // MHD refuses CR/LF (header injection) and headers it manages itself; such lines are
            // dropped rather than failing the whole response.
            _ = MHD_add_response_header(mhdResponse, name, value)
        }
        if closeConnection {
            _ = MHD_add_response_header(mhdResponse, "Connection", "close")
        }
        if let strictTransportSecurity {
            _ = MHD_add_response_header(mhdResponse, "Strict-Transport-Security", strictTransportSecurity)
        }
        response.stream?.attach(to: connection, tracking: liveStreams)
        return MHD_queue_response(connection, statusCode(response.status), mhdResponse)
    }

    /// A copied body, or a stream MHD pulls from (retained until MHD's free callback releases it).
    private static func makeResponse(_ response: HTTPResponse) -> OpaquePointer? {
        guard let stream = response.stream else {
            return response.body.withUnsafeBytes { gw_mhd_response_copying($0.baseAddress, $0.count) }
        }
        let retained = Unmanaged.passRetained(stream)
        guard let made = gw_mhd_response_streaming(streamBlockBytes, MHDStreamCallbacks.read, retained.toOpaque(),
                                                   MHDStreamCallbacks.free) else {
            retained.release()
            return nil
        }
        return made
    }

    /// How much of a stream MHD asks for at a time (advisory: it asks for what its write buffer can take).
    static let streamBlockBytes = 64 * 1024

    /// MHD refuses codes outside 100...999, and a 1xx is not a final answer: a handler bug becomes 500.
    static func statusCode(_ status: Int) -> UInt32 {
        (200...999).contains(status) ? UInt32(status) : 500
    }
}
