import Foundation

/// Whether this process runs under ThreadSanitizer or AddressSanitizer. Their runtimes replace malloc, so glibc's heap
/// statistics stay at zero and its tuning calls are ignored.
public enum Sanitizer {
    public static let isActive = ["__tsan_init", "__asan_init"].contains { (symbol: String) in dlsym(nil, symbol) != nil }
}
