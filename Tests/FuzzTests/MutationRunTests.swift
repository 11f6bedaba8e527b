import Foundation
import GatewayFuzzing
import XCTest

/// A short fuzzing run on every `swift test`: each target's seeds, mutated deterministically (bit flips, interesting
/// bytes, truncations, deletions, repeats, splices of two seeds, tokens, and value swaps inside JSON documents), all
/// through the target's entry function. A crash stops the test process; a broken property fails with the input in
/// base64, to be saved under `Fuzz/corpus/<target>/` and replayed with `gateway-fuzz <target> <file>`.
final class MutationRunTests: XCTestCase {
    /// Per target; under a second for all six in a debug build.
    static let mutantsPerTarget = 1_500

    private func run(_ target: FuzzTarget, seed: UInt64) throws {
        let seeds = FuzzCorpus.seeds(target).map(\.bytes)
        try XCTSkipIf(seeds.isEmpty, "no seeds")  // CorpusReplayTests fails for that
        var mutator = Mutator(seed: seed)
        var (accepted, refused, findings) = (0, 0, 0)
        for index in 0..<Self.mutantsPerTarget {
            let input = mutator.mutate(seeds[index % seeds.count], splicingWith: seeds[mutator.below(seeds.count)])
            do {
                if try target.run(input).isAccepted { accepted += 1 } else { refused += 1 }
            } catch {
                findings += 1
                if findings <= 3 {
                    XCTFail("\(error) — mutant \(index) of seed \(seed), input (base64): "
                            + Data(input).base64EncodedString())
                }
            }
        }
        XCTAssertEqual(findings, 0, "\(target.rawValue): \(findings) findings")
        // Blind edits that all die in the first check would test nothing behind it. Strict readers refuse most
        // mutants (the POS JSON reader keeps about one in seventy), so the floor is low but not zero.
        XCTAssertGreaterThan(accepted, Self.mutantsPerTarget / 200, "\(target.rawValue): too few mutants accepted")
        XCTAssertGreaterThan(refused, Self.mutantsPerTarget / 200, "\(target.rawValue): too few mutants refused")
    }

    func testJSONParser() throws { try run(.json, seed: 0x4A53_4F4E) }
    func testWhatsAppEnvelopeAndNormalizer() throws { try run(.whatsapp, seed: 0x5741) }
    func testStandardWebhookHeaders() throws { try run(.webhookSignature, seed: 0x5357) }
    func testPOSCSVReader() throws { try run(.posCSV, seed: 0x4353_56) }
    func testPOSJSONReader() throws { try run(.posJSON, seed: 0x504F_534A) }
    func testConfigLoader() throws { try run(.config, seed: 0x434F_4E46) }
}
