import Foundation
import GatewayFuzzing

/// `gateway-fuzz`: the fuzz targets of `GatewayFuzzing` as one program.
///
/// A normal build replays inputs: `gateway-fuzz <target> <file or folder>...` runs every file through the target
/// and exits 1 if any gives a finding (it crashes on a crash, as the parser would in the gateway).
///
/// Built with `-sanitize=fuzzer,address -D FUZZING` (see RELIABILITY.md) it is a libFuzzer binary for the target
/// named by the `FUZZ_TARGET` environment variable. SwiftPM links every executable with `main` aliased to the
/// module's entry point while libFuzzer brings a `main` of its own; the fuzzing build links with
/// `--allow-multiple-definition`, and whichever `main` the linker keeps starts libFuzzer: libFuzzer's calls
/// `LLVMFuzzerTestOneInput` directly, ours calls `LLVMFuzzerRunDriver` with the same callback.
@main
enum GatewayFuzz {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput))
        #else
        exit(replay(Array(CommandLine.arguments.dropFirst())))
        #endif
    }

    static func replay(_ arguments: [String]) -> Int32 {
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            FileHandle.standardError.write(Data("usage: gateway-fuzz \(names) <file or folder>...\n".utf8))
            return 64
        }
        var (accepted, refused, findings) = (0, 0, 0)
        for path in arguments.dropFirst() {
            let files = Corpus.inputs(at: path)
            if files.isEmpty { print("\(path): no such file or folder, or an empty one") }
            for file in files {
                guard let bytes = Corpus.bytes(of: file) else { print("\(file.path): unreadable"); continue }
                do {
                    if try target.run(bytes).isAccepted { accepted += 1 } else { refused += 1 }
                } catch {
                    findings += 1
                    print("FINDING \(file.path): \(error)")
                }
            }
        }
        print("\(target.rawValue): \(accepted) accepted, \(refused) refused, \(findings) findings")
        return findings == 0 && accepted + refused > 0 ? 0 : 1
    }
}

#if FUZZING
/// The target, read once from `FUZZ_TARGET`; a fuzzing run without one stops at once with the list.
private let fuzzTarget: FuzzTarget = {
    guard let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"], let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("set FUZZ_TARGET to one of: \(names)\n".utf8))
        exit(64)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        _ = try fuzzTarget.run(bytes)
    } catch {
        // An abort is what libFuzzer records as a crash, with the input saved next to it.
        FileHandle.standardError.write(Data("FINDING \(error)\n".utf8))
        abort()
    }
    return 0
}

/// libFuzzer's entry for programs that keep their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif
