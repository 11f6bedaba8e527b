import Foundation
import Ingress

// gateway-bench: throughput and latency of the gateway against baselines measured in the same run.
// The same malloc arenas as the gateway's own binary, so in-process runs measure what production runs.
MallocArenas.limit(environment: ProcessInfo.processInfo.environment)
exit(BenchCommand.run(Array(CommandLine.arguments.dropFirst())))
