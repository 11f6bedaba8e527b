import Foundation
import Ingress

// Entry point only: the commands live in GatewayCLI (a nonisolated type, so nothing here runs on the main actor
// by accident when libmicrohttpd or signal sources call back).
MallocArenas.limit(environment: ProcessInfo.processInfo.environment)
exit(GatewayCLI.run(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
