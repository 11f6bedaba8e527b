import GatewayTestSupport
import Ingress
import XCTest

/// The gateway caps malloc's arenas at one per core (at least two) unless the operator chose a number themselves.
final class MallocArenasTests: XCTestCase {
    func testTheDefaultIsOneArenaPerCoreAndAtLeastTwo() {
        XCTAssertEqual(MallocArenas.defaultCount(cores: 1), 2)
        XCTAssertEqual(MallocArenas.defaultCount(cores: 2), 2)
        XCTAssertEqual(MallocArenas.defaultCount(cores: 16), 16)
    }

    func testAnOperatorsOwnSettingWins() {
        XCTAssertNil(MallocArenas.limit(environment: ["MALLOC_ARENA_MAX": "4"]))
        XCTAssertNil(MallocArenas.limit(environment: ["GLIBC_TUNABLES": "glibc.malloc.trim_threshold=1:glibc.malloc.arena_max=8"]))
    }

    func testWithoutOneTheCapIsSet() throws {
        try XCTSkipIf(Sanitizer.isActive, "the sanitizer's allocator ignores malloc's tuning")
        XCTAssertEqual(MallocArenas.limit(environment: ["GLIBC_TUNABLES": "glibc.malloc.trim_threshold=131072"]),
                       MallocArenas.defaultCount())
    }
}
