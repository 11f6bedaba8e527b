import Foundation
import GatewayFuzzing

/// The checked-in seed inputs, found from this file's place in the repository.
enum FuzzCorpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

    static func seeds(_ target: FuzzTarget) -> [(name: String, bytes: [UInt8])] {
        Corpus.files(in: root.appendingPathComponent(target.corpusFolder)).compactMap { file in
            Corpus.bytes(of: file).map { (file.lastPathComponent, $0) }
        }
    }
}
