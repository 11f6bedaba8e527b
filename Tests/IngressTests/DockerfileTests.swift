import Foundation
import GatewayTestSupport
import Messaging
import XCTest

/// The Dockerfile cannot be built here (no Docker engine), so its library lists are checked against what the code
/// really uses: the -dev packages Package.swift declares, and the runtime packages that own the shared libraries the
/// built binary actually links (found with ldd and dpkg).
final class DockerfileTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func stages() throws -> (build: String, runtime: String) {
        let text = try String(contentsOf: root.appendingPathComponent("Dockerfile"), encoding: .utf8)
        // Stages start at lines beginning with FROM; anything before the first is a comment header.
        let parts = ("\n" + text).components(separatedBy: "\nFROM ").dropFirst()
        XCTAssertEqual(parts.count, 2, "expected exactly two stages (build, runtime)")
        return (parts.first ?? "", parts.count > 1 ? parts[parts.startIndex + 1] : "")
    }

    func testBuildStageInstallsEveryDevPackageFromPackageSwift() throws {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"\.apt\(\["([^"]+)"\]\)"#)
        let devPackages = regex.matches(in: manifest, range: NSRange(manifest.startIndex..., in: manifest)).compactMap {
            Range($0.range(at: 1), in: manifest).map { String(manifest[$0]) }
        }
        XCTAssertEqual(Set(devPackages), ["libmicrohttpd-dev", "libcurl4-openssl-dev", "libssl-dev", "libsqlite3-dev",
                                          "libpq-dev"])
        let build = try stages().build
        for package in devPackages {
            XCTAssertTrue(build.contains(package), "build stage does not install \(package)")
        }
    }

    func testRuntimeStageInstallsThePackagesOwningTheLinkedLibraries() throws {
        let binary = GatewayProcess.executable.path
        let linked = try shell("/usr/bin/ldd", [binary])
        var owners = Set<String>()
        for name in ["libmicrohttpd", "libcurl", "libcrypto", "libsqlite3", "libpq"] {
            guard let line = linked.split(separator: "\n").first(where: { $0.contains(name + ".so") }),
                  let path = line.split(separator: " ").first(where: { $0.hasPrefix("/") })
            else { return XCTFail("\(binary) does not link \(name): \(linked)") }
            // Debian 12 merged /usr: dpkg registers /usr/lib/..., the loader reports /lib/...
            let registered = path.hasPrefix("/lib/") ? "/usr" + path : String(path)
            let owner = try shell("/usr/bin/dpkg", ["-S", registered])
            // "libcurl4:amd64: /usr/lib/x86_64-linux-gnu/libcurl.so.4" -> "libcurl4"
            owners.insert(String(owner.prefix { $0 != ":" }))
        }
        XCTAssertEqual(owners, ["libmicrohttpd12", "libcurl4", "libssl3", "libsqlite3-0", "libpq5"])
        let runtime = try stages().runtime
        for package in owners {
            XCTAssertTrue(runtime.contains(package), "runtime stage does not install \(package)")
        }
        XCTAssertFalse(runtime.contains("-dev"), "runtime stage must not carry -dev packages")
        XCTAssertTrue(runtime.contains("HEALTHCHECK") && runtime.contains("/healthz"))
        XCTAssertTrue(runtime.contains("USER gateway"))
    }

    /// The image must carry the WhatsApp templates and point the gateway at them: start-up fails without them.
    func testRuntimeStageShipsTheTemplatesWhereTheGatewayLooks() throws {
        let runtime = try stages().runtime
        let copy = try XCTUnwrap(runtime.split(separator: "\n").first { $0.hasPrefix("COPY Templates ") },
                                 "runtime stage does not copy Templates")
        let destination = try XCTUnwrap(copy.split(separator: " ").last)
        XCTAssertTrue(runtime.contains("WHATSAPP_TEMPLATES_DIR=\(destination)/whatsapp"),
                      "WHATSAPP_TEMPLATES_DIR must name \(destination)/whatsapp")
        let local = root.appendingPathComponent("Templates/whatsapp").path
        XCTAssertNoThrow(try WhatsAppTemplateCatalog.load(directory: local, defaultLanguage: "en"))
    }

    private func shell(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
