import GatewayFuzzing
import GatewayKit
import XCTest

/// The mutation run is only reproducible, and only reaches past the parsers, if the mutator behaves.
final class MutatorTests: XCTestCase {
    private let seed = Array(#"{"a":[1,"two",{"b":null}],"c":true}"#.utf8)

    func testTheSameSeedGivesTheSameMutants() {
        var first = Mutator(seed: 42)
        var second = Mutator(seed: 42)
        var other = Mutator(seed: 43)
        let a = (0..<50).map { _ in first.mutate(seed, splicingWith: seed) }
        XCTAssertEqual(a, (0..<50).map { _ in second.mutate(seed, splicingWith: seed) })
        XCTAssertNotEqual(a, (0..<50).map { _ in other.mutate(seed, splicingWith: seed) })
    }

    func testMostMutantsDifferFromTheirSeed() {
        var mutator = Mutator(seed: 7)
        let changed = (0..<200).filter { _ in mutator.mutate(seed, splicingWith: seed) != seed }.count
        XCTAssertGreaterThan(changed, 180)
    }

    func testJSONValueSwapsKeepTheDocumentJSONAndChangeIt() throws {
        var mutator = Mutator(seed: 11)
        var changed = 0
        for _ in 0..<100 {
            let mutant = try XCTUnwrap(mutator.mutateJSON(seed))
            XCTAssertNoThrow(try JSONParser.parse(mutant))
            if mutant != JSONWriter.bytes(try JSONParser.parse(seed)) { changed += 1 }
        }
        XCTAssertGreaterThan(changed, 80)
        XCTAssertNil(mutator.mutateJSON(Array("{".utf8)), "not JSON: nothing to swap")
    }
}
