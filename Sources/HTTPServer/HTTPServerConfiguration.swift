import Foundation

/// How an `HTTPServer` binds and what it tolerates from clients.
public struct HTTPServerConfiguration: Sendable {
    /// Numeric bind address: IPv4 dotted ("127.0.0.1", "0.0.0.0") or IPv6 ("::1", "::").
    public var host: String = "127.0.0.1"
    /// 0 = ephemeral; read `HTTPServer.port` after `start()` for the real one.
    public var port: UInt16 = 8080
    /// libmicrohttpd worker threads, each with its own poll() loop over its share of the connections; 1 means a
    /// single polling thread.
    public var threadPoolSize: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Seconds without a byte in either direction after which a connection is closed (a client that stops
    /// reading its response, a body that stalls). Any byte restarts it, so it cannot stop a client that trickles;
    /// the deadlines below do. Suspended connections (waiting for an asynchronous response) do not time out.
    public var connectionTimeoutSeconds: UInt32 = 30
    /// Seconds from the moment a connection is ready for a request (accepted, or its previous response sent) until
    /// the request line and all header fields must be in; a connection that misses it is closed without an answer.
    /// On a kept-alive connection this is also how long it may sit idle. 0 = no deadline.
    public var headerTimeoutSeconds: UInt32 = 10
    /// Seconds from the complete head until the whole body must be in; a connection that misses it is closed
    /// without an answer. 0 = no deadline.
    public var bodyTimeoutSeconds: UInt32 = 30
    /// Largest accepted request body; bigger ones get `HTTPHandler.bodyTooLarge`.
    public var maxBodyBytes: Int = 1 << 20
    /// Largest request line plus header fields; bigger heads get `HTTPHandler.rejected` with `.headTooLarge`
    /// (a 431) as long as they fit `connectionMemoryLimitBytes`.
    public var maxHeaderBytes: Int = 16 * 1024
    /// Concurrent connections across all worker threads.
    public var connectionLimit: UInt32 = 1024
    /// Concurrent connections from one client address; a connection beyond it is closed as soon as it is
    /// accepted. Keep it well below `connectionLimit` so one client cannot take every slot. 0 = no limit.
    public var perIPConnectionLimit: UInt32 = 0
    /// Per-connection memory pool (request line, headers, read buffer). It is several times `maxHeaderBytes` so
    /// that an oversized head still fits and gets the handler's answer; a head too big even for the pool is
    /// answered by libmicrohttpd itself (431, or 414 while the request line is incomplete). libmicrohttpd clears
    /// the whole pool between the requests of a kept-alive connection, so its size is paid on every request
    /// (128 KiB cost a webhook about 7 µs of memset, a fifth of the HTTP worker's time).
    public var connectionMemoryLimitBytes: Int = 48 * 1024
    /// Serve HTTPS with this certificate instead of plain HTTP; nil = plain HTTP. `HTTPServer.reloadTLS(_:)` swaps
    /// the certificate of a running HTTPS server; a server cannot switch between HTTP and HTTPS.
    public var tls: HTTPServerTLS?

    public init(host: String = "127.0.0.1",
                port: UInt16 = 8080,
                threadPoolSize: Int = ProcessInfo.processInfo.activeProcessorCount,
                connectionTimeoutSeconds: UInt32 = 30,
                maxBodyBytes: Int = 1 << 20,
                connectionLimit: UInt32 = 1024,
                connectionMemoryLimitBytes: Int = 48 * 1024,
                headerTimeoutSeconds: UInt32 = 10,
                bodyTimeoutSeconds: UInt32 = 30,
                perIPConnectionLimit: UInt32 = 0,
                maxHeaderBytes: Int = 16 * 1024,
                tls: HTTPServerTLS? = nil) {
        self.host = host
        self.port = port
        self.threadPoolSize = threadPoolSize
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.maxBodyBytes = maxBodyBytes
        self.connectionLimit = connectionLimit
        self.connectionMemoryLimitBytes = connectionMemoryLimitBytes
        self.headerTimeoutSeconds = headerTimeoutSeconds
        self.bodyTimeoutSeconds = bodyTimeoutSeconds
        self.perIPConnectionLimit = perIPConnectionLimit
        self.maxHeaderBytes = maxHeaderBytes
        self.tls = tls
    }
}
