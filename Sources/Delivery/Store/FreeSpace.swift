import Foundation

/// Free space of the file system a file lives on, for readiness: a disk about to fill refuses webhooks soon, so the
/// gateway stops saying it is ready before that.
enum FreeSpace {
    /// Bytes available to this process on the file system of `path` (its folder when the file does not exist yet);
    /// nil when the system cannot tell.
    static func bytes(near path: String) -> Int64? {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var info = statvfs()
        guard statvfs(FileManager.default.fileExists(atPath: path) ? path : folder, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}
