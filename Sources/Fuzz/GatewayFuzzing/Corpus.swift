import Foundation

/// The seed inputs checked in under `Fuzz/corpus/<target>/`, one file per input, read in name order so that runs are
/// repeatable.
public enum Corpus {
    /// The files of `folder` (not recursive; dot files skipped), sorted by name.
    public static func files(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// `path` itself when it is a file, its files when it is a folder.
    public static func inputs(at path: String) -> [URL] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return [] }
        let url = URL(fileURLWithPath: path)
        return isFolder.boolValue ? files(in: url) : [url]
    }

    public static func bytes(of file: URL) -> [UInt8]? {
        FileManager.default.contents(atPath: file.path).map { [UInt8]($0) }
    }
}
