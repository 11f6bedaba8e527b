import Foundation
import GatewayTestSupport
import GatewayTesting
import HTTPTesting
import XCTest

/// The real `gateway serve` serving HTTPS itself: `/healthz` over TLS with HSTS, nothing for plain HTTP or TLS 1.1,
/// exit 78 naming the setting for certificate files it cannot serve, and SIGHUP re-reading the files. Certificates
/// come from a throwaway CA made with the `openssl` command line; the client is `curl` trusting only that CA, and the
/// common name it reports tells which certificate the gateway presented.
final class GatewayHTTPSProcessTests: XCTestCase {
    private var certificates: TestCertificates!
    private var directory: URL!

    override func setUpWithError() throws {
        certificates = try TestCertificates()
        directory = certificates.directory
    }

    override func tearDown() {
        certificates = nil
    }

    private func environment(cert: String?, key: String?) -> [String: String] {
        var environment = ["GATEWAY_PORT": "0", "GATEWAY_DB": directory.appendingPathComponent("g.sqlite").path,
                           "WHATSAPP_APP_SECRET": TestGateway.appSecret]
        environment["GATEWAY_TLS_CERT"] = cert
        environment["GATEWAY_TLS_KEY"] = key
        return environment
    }

    private func healthz(_ port: UInt16, _ arguments: [String] = []) throws -> TestCurl.Result {
        try TestCurl.get("https://127.0.0.1:\(port)/healthz", ["--cacert", certificates.caPath] + arguments)
    }

    /// The base64 body of a PEM file: if any of it shows up in the output, key material leaked.
    private func keyMaterial(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("-----") }.map(String.init)
    }

    /// Copies `issued`'s files over the paths the gateway was started with (how a renewal lands on disk).
    private func install(_ issued: TestCertificates.Issued, certPath: String, keyPath: String) throws {
        for (source, destination) in [(issued.certificatePath, certPath), (issued.keyPath, keyPath)] {
            try? FileManager.default.removeItem(atPath: destination)
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        }
    }

    func testServesHealthzOverHTTPSOnlyWithStrictTransportSecurity() throws {
        let issued = try certificates.issue(commonName: "gateway-a")
        let child = try GatewayProcess(arguments: ["serve"],
                                       environment: environment(cert: issued.certificatePath, key: issued.keyPath))
        let port = try XCTUnwrap(child.waitForPort(), child.stderr)

        let health = try healthz(port)
        XCTAssertEqual(health.response?.status, 200, health.trace)
        XCTAssertEqual(health.response?.header("strict-transport-security"), "max-age=31536000")
        XCTAssertEqual(health.serverCommonName, "gateway-a", health.trace)

        let plain = try TestCurl.get("http://127.0.0.1:\(port)/healthz")
        XCTAssertNotEqual(plain.response?.status, 200, plain.trace)
        XCTAssertNotEqual(plain.exitCode, 0, "no HTTP answer on the HTTPS port")

        // The client lowers OpenSSL's security level so that it offers TLS 1.1 at all: the refusal is the server's.
        let old = try healthz(port, ["--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT:@SECLEVEL=0"])
        XCTAssertEqual(old.exitCode, 35, "TLS 1.1 handshake refused: \(old.trace)")

        child.signal(SIGTERM)
        XCTAssertEqual(child.waitForExit(), 0)
        let log = child.stderr
        XCTAssertTrue(log.contains("tls=on"), log)
        XCTAssertTrue(log.contains("event=tls_certificate subject=\"/CN=gateway-a\""), log)
        XCTAssertTrue(log.contains("scheme=https"), log)
        for line in try keyMaterial(issued.keyPath) { XCTAssertFalse(log.contains(line), "key material in the log") }
    }

    func testKeyOfAnotherCertificateExits78NamingTheKeySetting() throws {
        let a = try certificates.issue(commonName: "gateway-a")
        let b = try certificates.issue(commonName: "gateway-b")
        let (code, _, stderr) = try GatewayProcess.run(["serve"],
                                                       environment: environment(cert: a.certificatePath, key: b.keyPath))
        XCTAssertEqual(code, 78, stderr)
        XCTAssertTrue(stderr.contains("configuration error: invalid value for 'server.tls_key'"), stderr)
        XCTAssertTrue(stderr.contains("does not belong to the certificate"), stderr)
        XCTAssertFalse(stderr.contains("gateway_started"), stderr)
        for line in try keyMaterial(b.keyPath) + keyMaterial(a.keyPath) {
            XCTAssertFalse(stderr.contains(line), "key material in the output")
        }
    }

    func testUnreadableOrNonPEMFilesExit78NamingTheSetting() throws {
        let issued = try certificates.issue(commonName: "gateway-a")
        let missing = directory.appendingPathComponent("missing.pem").path
        let notPEM = try certificates.write("this is not a certificate\n", named: "junk.pem")
        let encrypted = directory.appendingPathComponent("encrypted.key").path
        try TestCertificates.openssl(["pkcs8", "-topk8", "-in", issued.keyPath, "-out", encrypted,
                                      "-passout", "pass:secret"])
        let cases: [(cert: String?, key: String?, setting: String)] = [
            (missing, issued.keyPath, "server.tls_cert"),
            (issued.certificatePath, missing, "server.tls_key"),
            (notPEM, issued.keyPath, "server.tls_cert"),
            (issued.certificatePath, notPEM, "server.tls_key"),
            (issued.certificatePath, encrypted, "server.tls_key"),  // refused, never prompted for
            (issued.keyPath, issued.keyPath, "server.tls_cert"),  // a key where the certificate belongs
            (directory.path, issued.keyPath, "server.tls_cert"),
            (issued.certificatePath, nil, "server.tls_key"),  // one without the other
        ]
        for (cert, key, setting) in cases {
            let (code, _, stderr) = try GatewayProcess.run(["serve"], environment: environment(cert: cert, key: key))
            XCTAssertEqual(code, 78, "\(cert ?? "-") \(key ?? "-"): \(stderr)")
            XCTAssertTrue(stderr.contains("invalid value for '\(setting)'"), "\(setting): \(stderr)")
        }
    }

    /// SIGHUP re-reads the files: new connections get the new certificate. Files that cannot be served leave the
    /// certificate in place and an error naming the setting in the log, and the process carries on.
    func testSIGHUPReloadsTheCertificateAndKeepsTheOldOneWhenTheFilesAreBroken() throws {
        let a = try certificates.issue(commonName: "gateway-a")
        let b = try certificates.issue(commonName: "gateway-b")
        let certPath = directory.appendingPathComponent("served.pem").path
        let keyPath = directory.appendingPathComponent("served.key").path
        try install(a, certPath: certPath, keyPath: keyPath)
        let child = try GatewayProcess(arguments: ["serve"], environment: environment(cert: certPath, key: keyPath))
        let port = try XCTUnwrap(child.waitForPort(), child.stderr)
        XCTAssertEqual(try healthz(port).serverCommonName, "gateway-a")

        try install(b, certPath: certPath, keyPath: keyPath)
        child.signal(SIGHUP)
        eventually("the reload is logged") { child.stderr.contains("event=tls_reloaded subject=\"/CN=gateway-b\"") }
        let renewed = try healthz(port)
        XCTAssertEqual(renewed.response?.status, 200, renewed.trace)
        XCTAssertEqual(renewed.serverCommonName, "gateway-b", renewed.trace)

        _ = try certificates.write("-----BEGIN CERTIFICATE-----\ntruncated\n", named: "served.pem")
        child.signal(SIGHUP)
        eventually("the failed reload is logged") { child.stderr.contains("event=tls_reload_failed") }
        XCTAssertTrue(child.stderr.contains("invalid value for 'server.tls_cert'"), child.stderr)
        let kept = try healthz(port)
        XCTAssertEqual(kept.response?.status, 200, kept.trace)
        XCTAssertEqual(kept.serverCommonName, "gateway-b", "still the last good certificate")

        // A key that is not the certificate's names the key's setting.
        try install(b, certPath: certPath, keyPath: keyPath)
        try FileManager.default.removeItem(atPath: keyPath)
        try FileManager.default.copyItem(atPath: a.keyPath, toPath: keyPath)
        child.signal(SIGHUP)
        eventually("the second failed reload is logged") {
            child.stderr.components(separatedBy: "event=tls_reload_failed").count == 3
        }
        XCTAssertTrue(child.stderr.contains("invalid value for 'server.tls_key'"), child.stderr)
        XCTAssertEqual(try healthz(port).serverCommonName, "gateway-b")

        child.signal(SIGTERM)
        XCTAssertEqual(child.waitForExit(), 0, "the failed reloads did not stop the process")
        for line in try keyMaterial(a.keyPath) + keyMaterial(b.keyPath) {
            XCTAssertFalse(child.stderr.contains(line), "key material in the log")
        }
    }
}
