import Foundation

// gateway-bench: throughput and latency of the gateway against baselines measured in the same run.
exit(BenchCommand.run(Array(CommandLine.arguments.dropFirst())))
