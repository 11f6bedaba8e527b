import Crypto
import Foundation

/// The operator console's files — `index.html` and the flat `assets/` folder of CSS, JavaScript modules and images —
/// read once at start from `console.directory` (the way the WhatsApp templates are found: a folder beside the
/// binary, relative to the working directory, set by the Docker image). Only names of the plain form
/// `name.ext` with a known extension are served, and only from that one folder, so no request can name a file
/// elsewhere: a `..`, a `/` or an encoded one never matches.
struct ConsoleFiles: Sendable {
    /// One file as it is served.
    struct File: Sendable {
        let body: [UInt8]
        let contentType: String
        /// A strong validator: the first 16 bytes of the content's SHA-256, quoted.
        let etag: String
    }

    /// The content type of each extension the console uses; other files in the folder are not served.
    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon", "json": "application/json",
    ]

    /// The folder the files were read from (named in the warning when it is missing).
    let directory: String
    /// The page every console address answers with; nil when the folder has no `index.html`.
    let index: File?
    private let assets: [String: File]

    /// Reads `directory`; a missing folder or file leaves the console unserved (404), not the gateway stopped.
    init(directory: String) {
        self.directory = directory
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        index = Self.read(root.appendingPathComponent("index.html"))
        let assetsFolder = root.appendingPathComponent("assets", isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: assetsFolder.path)) ?? []
        var assets: [String: File] = [:]
        for name in names where Self.isServable(name) {
            assets[name] = Self.read(assetsFolder.appendingPathComponent(name))
        }
        self.assets = assets
    }

    /// The asset called `name`, or nil for an unknown or unservable name.
    func asset(_ name: String) -> File? {
        Self.isServable(name) ? assets[name] : nil
    }

    /// Lower-case letters, digits and `-`, one dot, a known extension: nothing that could leave the folder.
    static func isServable(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let stem = parts.first, !stem.isEmpty, stem.count <= 64,
              contentTypes[String(parts[1])] != nil else { return false }
        return stem.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }

    private static func read(_ url: URL) -> File? {
        guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey]), values.isRegularFile == true,
              let data = FileManager.default.contents(atPath: url.path),
              let type = contentTypes[url.pathExtension] else { return nil }
        let body = [UInt8](data)
        return File(body: body, contentType: type,
                    etag: "\"" + Hex.encode(Array(SHA256Digest.hash(body).prefix(16))) + "\"")
    }
}
