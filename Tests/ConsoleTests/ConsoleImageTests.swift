import Foundation
import GatewayTestSupport
import XCTest

/// The Docker image carries the console's files and points the gateway at them, as it does the templates.
final class ConsoleImageTests: XCTestCase {
    func testTheRuntimeStageShipsTheConsoleWhereTheGatewayLooks() throws {
        let dockerfile = try String(contentsOfFile: TestGateway.repositoryFile("Dockerfile"), encoding: .utf8)
        let runtime = try XCTUnwrap(dockerfile.components(separatedBy: "FROM debian").last)
        let copy = try XCTUnwrap(runtime.split(separator: "\n").first { $0.hasPrefix("COPY Console ") },
                                 "the runtime stage does not copy Console")
        let destination = try XCTUnwrap(copy.split(separator: " ").last)
        XCTAssertTrue(runtime.contains("CONSOLE_DIR=\(destination)"), "CONSOLE_DIR must name \(destination)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: TestGateway.repositoryFile("Console/index.html")))
    }
}
