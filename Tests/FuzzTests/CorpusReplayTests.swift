import Foundation
import GatewayFuzzing
import XCTest

/// Every checked-in seed through its target: what libFuzzer starts from must itself be free of findings, and each
/// target's seeds must reach both the accepting and the refusing paths, or the fuzzer starts half blind.
final class CorpusReplayTests: XCTestCase {
    func testEveryTargetHasSeedsAndEveryCorpusFolderIsATarget() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: FuzzCorpus.root.path)
            .filter { !$0.hasPrefix(".") }
        XCTAssertEqual(Set(folders), Set(FuzzTarget.allCases.map(\.corpusFolder)))
        for target in FuzzTarget.allCases {
            XCTAssertGreaterThanOrEqual(FuzzCorpus.seeds(target).count, 3, "\(target.rawValue) has too few seeds")
        }
    }

    func testEverySeedRunsWithoutAFindingAndEachTargetAcceptsAndRefusesSome() {
        for target in FuzzTarget.allCases {
            var (accepted, refused) = (0, 0)
            for seed in FuzzCorpus.seeds(target) {
                do {
                    if try target.run(seed.bytes).isAccepted { accepted += 1 } else { refused += 1 }
                } catch {
                    XCTFail("\(target.rawValue)/\(seed.name): \(error)")
                }
            }
            XCTAssertGreaterThan(accepted, 0, "no \(target.rawValue) seed is accepted")
            XCTAssertGreaterThan(refused, 0, "no \(target.rawValue) seed is refused")
        }
    }

    /// The seeds that name their verdict in their file name are judged that way: a change to a parser that flips
    /// one of them shows here rather than silently shrinking what the fuzzer explores.
    func testNamedSeedsAreJudgedAsTheirNamesSay() throws {
        let expectations: [(FuzzTarget, String, Bool)] = [
            (.json, "duplicate-key.json", false), (.json, "invalid-utf8.json", false), (.json, "depth-64.json", true),
            (.whatsapp, "envelope-errors.json", false), (.whatsapp, "poison-batch.json", true),
            (.webhookSignature, "signed-first-secret.txt", true),
            (.webhookSignature, "signed-second-secret-rotation.txt", true),
            (.webhookSignature, "stale-timestamp.txt", false), (.webhookSignature, "wrong-signature.txt", false),
            // libFuzzer's first crash: a timestamp of Int64.min overflowed the verifier's window check.
            (.webhookSignature, "timestamp-int64-min-crash.txt", false),
            (.posCSV, "good.csv", true), (.posCSV, "bad-header-and-rows.csv", false),
            // libFuzzer's second finding: every problem of a header was listed, past maxProblems.
            (.posCSV, "header-84-problems-crash.csv", false),
            (.posJSON, "good.json", true), (.posJSON, "wrong-types.json", false),
            (.config, "example.json", true), (.config, "secrets-set.json", false),
        ]
        for (target, name, accepted) in expectations {
            let seed = try XCTUnwrap(FuzzCorpus.seeds(target).first { $0.name == name }, "\(target.rawValue)/\(name)")
            XCTAssertEqual(try target.run(seed.bytes).isAccepted, accepted, "\(target.rawValue)/\(name)")
        }
    }
}
