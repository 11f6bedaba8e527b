import CMalloc
import Foundation

/// How many heaps malloc keeps. glibc gives every thread that meets lock contention its own arena, up to eight per
/// core, and each arena keeps the memory freed in it for reuse: after a burst, resident memory stays at the sum of the
/// arenas' high-water marks. A soak with the default (up to 16 arenas on 2 cores) saw resident memory drift upwards
/// while the heap in use stayed flat; with one arena per core, resident memory followed the heap in use.
///
/// The gateway's threads spend their time in SQLite, libcurl and libmicrohttpd, not in malloc, so one arena per core
/// costs no measurable throughput. An operator's own `MALLOC_ARENA_MAX` or `GLIBC_TUNABLES=glibc.malloc.arena_max=…`
/// wins.
public enum MallocArenas {
    /// The arena count the process starts with: one per core, at least two.
    public static func defaultCount(cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        max(2, cores)
    }

    /// Caps the arenas unless the environment already chose; returns the cap it set, or nil when it left glibc alone.
    /// Call first thing in `main`, before any thread exists: only arenas created afterwards are capped.
    @discardableResult
    public static func limit(environment: [String: String]) -> Int? {
        if environment["MALLOC_ARENA_MAX"] != nil { return nil }
        if let tunables = environment["GLIBC_TUNABLES"], tunables.contains("glibc.malloc.arena_max") { return nil }
        let count = defaultCount()
        return gw_heap_limit_arenas(Int32(count)) == 1 ? count : nil
    }
}
