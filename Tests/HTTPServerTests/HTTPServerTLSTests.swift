import Foundation
import HTTPServer
import HTTPTesting
import XCTest

/// HTTPS served by libmicrohttpd itself: the handshake (TLS 1.2+ only), the HSTS header, refused certificates, and
/// certificate reloads that keep the port open and finish the requests of the connections they replace. The client
/// is the `curl` command line trusting a throwaway CA, so what it verifies is the certificate the server presented.
final class HTTPServerTLSTests: XCTestCase {
    private var certificates: TestCertificates!

    override func setUpWithError() throws {
        certificates = try TestCertificates()
    }

    override func tearDown() {
        certificates = nil
    }

    private func credentials(_ issued: TestCertificates.Issued, key: String? = nil) throws -> TLSCredentials {
        try TLSCredentials(reading: issued, key: key)
    }

    private func startHTTPSServer(_ issued: TestCertificates.Issued,
                                  _ onRequest: @escaping @Sendable (HTTPRequest, @escaping @Sendable (HTTPResponse) -> Void) -> Void)
        throws -> HTTPServer {
        let tls = HTTPServerTLS(credentials: try credentials(issued))
        return try startTestServer(configure: { $0.tls = tls }, onRequest)
    }

    private func httpsGet(_ server: HTTPServer, _ path: String = "/", _ arguments: [String] = []) throws
        -> TestCurl.Result {
        try TestCurl.get("https://127.0.0.1:\(server.port)\(path)", ["--cacert", certificates.caPath] + arguments)
    }

    func testServesHTTPSWithStrictTransportSecurity() throws {
        let issued = try certificates.issue(commonName: "gateway-a")
        let server = try startHTTPSServer(issued) { request, respond in respond(.text("hello \(request.path)")) }

        let result = try httpsGet(server, "/hi")
        XCTAssertEqual(result.exitCode, 0, result.trace)
        XCTAssertEqual(result.response?.status, 200)
        XCTAssertEqual(result.response?.bodyText, "hello /hi")
        XCTAssertEqual(result.response?.header("strict-transport-security"), "max-age=31536000")
        XCTAssertEqual(result.serverCommonName, "gateway-a", result.trace)
    }

    func testPlainHTTPServerSendsNoStrictTransportSecurity() throws {
        let server = try startTestServer { _, respond in respond(.text("plain")) }
        let response = try TestSocket(port: server.port).roundTrip("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(response.status, 200)
        XCTAssertNil(response.header("strict-transport-security"))
    }

    func testPlainHTTPOnTheTLSPortGetsNoAnswer() throws {
        let issued = try certificates.issue(commonName: "gateway-a")
        let server = try startHTTPSServer(issued) { _, respond in respond(.text("ok")) }
        let result = try TestCurl.get("http://127.0.0.1:\(server.port)/")
        XCTAssertNotEqual(result.exitCode, 0, result.trace)
        XCTAssertNil(result.response, result.trace)
    }

    /// TLS 1.1 is refused by the server. The client lowers OpenSSL's security level so that it offers TLS 1.1 at
    /// all; without that the handshake would fail on the client's side and prove nothing about the server.
    func testTLS11IsRefusedAndTLS12Accepted() throws {
        let issued = try certificates.issue(commonName: "gateway-a")
        let server = try startHTTPSServer(issued) { _, respond in respond(.text("ok")) }
        let old = try httpsGet(server, "/", ["--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT:@SECLEVEL=0"])
        XCTAssertEqual(old.exitCode, 35, "a refused handshake: \(old.trace)")
        XCTAssertNil(old.response)

        let twelve = try httpsGet(server, "/", ["--tlsv1.2", "--tls-max", "1.2"])
        XCTAssertEqual(twelve.response?.status, 200, twelve.trace)
    }

    func testRefusedCertificateOrPrioritiesFailStartWithGnuTLSReason() throws {
        let a = try certificates.issue(commonName: "gateway-a")
        let b = try certificates.issue(commonName: "gateway-b")
        let mismatched = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0,
                                                   tls: HTTPServerTLS(credentials: try credentials(a, key: b.keyPath))),
            handler: ClosureHandler { _, respond in respond(.text("ok")) })
        XCTAssertThrowsError(try mismatched.start()) { error in
            guard case HTTPServerError.tlsRefused(let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("do not match"), reason)
        }

        let badPriorities = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: "127.0.0.1", port: 0,
                tls: HTTPServerTLS(credentials: try credentials(a), priorities: "NORMAL:+NO-SUCH-THING")),
            handler: ClosureHandler { _, respond in respond(.text("ok")) })
        XCTAssertThrowsError(try badPriorities.start()) { error in
            guard case HTTPServerError.tlsRefused = error else { return XCTFail("\(error)") }
        }
    }

    func testCredentialsNeverPrintTheKey() throws {
        let a = try certificates.issue(commonName: "gateway-a")
        let value = try credentials(a)
        let key = String(decoding: value.privateKeyPEM, as: UTF8.self)
        let body = key.split(separator: "\n")[1]
        for text in ["\(value)", String(reflecting: value), "\(HTTPServerTLS(credentials: value))"] {
            XCTAssertFalse(text.contains(body), text)
        }
    }

    /// A reload swaps the certificate for new connections at once, while a request in flight on a connection opened
    /// before it is answered on that connection; the replaced daemon stops once its connection has closed.
    func testReloadServesNewConnectionsTheNewCertificateAndFinishesRequestsInFlight() throws {
        let a = try certificates.issue(commonName: "gateway-a")
        let b = try certificates.issue(commonName: "gateway-b")
        let release = DispatchSemaphore(value: 0)
        let server = try startHTTPSServer(a) { request, respond in
            guard request.path == "/slow" else { return respond(.text("fast")) }
            DispatchQueue.global().async {
                release.wait()
                respond(.text("slow answered"))
            }
        }
        let slow = try TestCurl.start("https://127.0.0.1:\(server.port)/slow", ["--cacert", certificates.caPath])
        XCTAssertTrue(waitUntil { server.inFlightRequests == 1 })

        try server.reloadTLS(try credentials(b))
        let fresh = try httpsGet(server)
        XCTAssertEqual(fresh.response?.status, 200, fresh.trace)
        XCTAssertEqual(fresh.serverCommonName, "gateway-b", fresh.trace)
        XCTAssertEqual(fresh.response?.header("strict-transport-security"), "max-age=31536000")
        XCTAssertEqual(server.retiringDaemons, 1, "the old daemon still has the slow request's connection")

        release.signal()
        let answered = slow.finish()
        XCTAssertEqual(answered.response?.status, 200, answered.trace)
        XCTAssertEqual(answered.response?.bodyText, "slow answered")
        XCTAssertEqual(answered.serverCommonName, "gateway-a", answered.trace)
        XCTAssertEqual(answered.response?.header("connection")?.lowercased(), "close")
        XCTAssertTrue(waitUntil { server.retiringDaemons == 0 }, "the old daemon is stopped once its connection closed")
        XCTAssertEqual(try httpsGet(server).serverCommonName, "gateway-b")
    }

    func testRefusedReloadKeepsServingTheOldCertificate() throws {
        let a = try certificates.issue(commonName: "gateway-a")
        let b = try certificates.issue(commonName: "gateway-b")
        let server = try startHTTPSServer(a) { _, respond in respond(.text("ok")) }

        XCTAssertThrowsError(try server.reloadTLS(try credentials(b, key: a.keyPath))) { error in
            guard case HTTPServerError.tlsRefused = error else { return XCTFail("\(error)") }
        }
        let garbage = TLSCredentials(certificateChainPEM: Array("not a certificate".utf8),
                                     privateKeyPEM: Array("not a key".utf8))
        XCTAssertThrowsError(try server.reloadTLS(garbage))
        let result = try httpsGet(server)
        XCTAssertEqual(result.response?.status, 200, result.trace)
        XCTAssertEqual(result.serverCommonName, "gateway-a")
        XCTAssertEqual(server.retiringDaemons, 0)
    }

    func testRepeatedReloadsKeepThePortAndStopCleanly() throws {
        let issued = try (0..<3).map { try certificates.issue(commonName: "gateway-\($0)") }
        let server = try startHTTPSServer(issued[0]) { _, respond in respond(.text("ok")) }
        let port = server.port
        for certificate in issued.dropFirst() {
            try server.reloadTLS(try credentials(certificate))
            XCTAssertEqual(server.port, port)
            XCTAssertEqual(try httpsGet(server).serverCommonName, certificate.commonName)
        }
        server.stop(drainTimeout: 1)
        XCTAssertNotEqual(try httpsGet(server).exitCode, 0, "stopped: the port is closed")
        XCTAssertThrowsError(try server.reloadTLS(try credentials(issued[0]))) { error in
            XCTAssertEqual(error as? HTTPServerError, .reloadFailed("the server is not running"))
        }
    }

    func testReloadingAPlainHTTPServerIsRefused() throws {
        let issued = try certificates.issue(commonName: "gateway-a")
        let server = try startTestServer { _, respond in respond(.text("plain")) }
        XCTAssertThrowsError(try server.reloadTLS(try credentials(issued))) { error in
            XCTAssertEqual(error as? HTTPServerError, .reloadFailed("the server was started without TLS"))
        }
        XCTAssertEqual(try TestSocket(port: server.port).roundTrip("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
    }
}

extension TLSCredentials {
    /// The certificate and key files of `issued`, or another key file when `key` is given.
    init(reading issued: TestCertificates.Issued, key: String? = nil) throws {
        self.init(certificateChainPEM: [UInt8](try Data(contentsOf: URL(fileURLWithPath: issued.certificatePath))),
                  privateKeyPEM: [UInt8](try Data(contentsOf: URL(fileURLWithPath: key ?? issued.keyPath))))
    }
}
