import Foundation

/// The stored media files, content-addressed: `<directory>/<first two hex digits>/<sha256 hex>`, so a file sent twice
/// is kept once and a name never lies about its bytes. A file is first written whole and flushed to disk under
/// `<directory>/tmp/`, then renamed into place: a crash leaves at most a temporary file (removed at the next start),
/// never a partial file under a content address.
public struct MediaFileStore: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    private var temporaryDirectory: URL { URL(fileURLWithPath: directory).appendingPathComponent("tmp") }

    /// Where the file with hex SHA-256 `sha256` lives.
    public func path(of sha256: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(String(sha256.prefix(2)))
            .appendingPathComponent(sha256).path
    }

    /// Creates the folders and removes temporary files an interrupted download left behind (at start, when no
    /// download is under way).
    public func prepare() throws {
        let fm = FileManager.default
        try fm.createDirectory(at: temporaryDirectory, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: temporaryDirectory.path) {
            try? fm.removeItem(at: temporaryDirectory.appendingPathComponent(name))
        }
    }

    /// Writes `bytes` to a new temporary file, flushed to disk; its path, for ``place(_:sha256:)``.
    public func writeTemporary(_ bytes: [UInt8]) throws -> String {
        let fm = FileManager.default
        try fm.createDirectory(at: temporaryDirectory, withIntermediateDirectories: true)
        let url = temporaryDirectory.appendingPathComponent(UUID().uuidString + ".part")
        guard fm.createFile(atPath: url.path, contents: nil) else { throw MediaFileError("cannot create \(url.path)") }
        let handle = try FileHandle(forWritingTo: url)
        do {
            try handle.write(contentsOf: Data(bytes))
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            try? fm.removeItem(at: url)
            throw error
        }
        return url.path
    }

    /// Moves a temporary file to the content address of `sha256` (atomically: readers see the whole file or none).
    public func place(_ temporaryPath: String, sha256: String) throws {
        let target = path(of: sha256)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        guard rename(temporaryPath, target) == 0 else {
            throw MediaFileError("cannot move \(temporaryPath) to \(target): errno \(errno)")
        }
    }

    /// Removes a temporary file that will not be placed.
    public func discard(_ temporaryPath: String) {
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }

    /// The bytes of file `sha256`, or nil when there is no such file.
    public func read(_ sha256: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path(of: sha256)).map { [UInt8]($0) }
    }

    /// Removes file `sha256` (nothing when it is already gone).
    public func remove(_ sha256: String) {
        try? FileManager.default.removeItem(atPath: path(of: sha256))
    }
}

/// A media file could not be written or moved.
public struct MediaFileError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
