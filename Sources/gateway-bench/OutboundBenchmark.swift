/// Placeholder until the outbound delivery engine lands (issue: outbound delivery).
struct OutboundBenchmark {
    init(options: BenchOptions) {}
    func run() -> Int32 {
        print("outbound benchmark: not available yet")
        return 2
    }
}
