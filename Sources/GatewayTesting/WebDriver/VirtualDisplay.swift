import Foundation

/// An X server without a screen (Xvfb) for a browser that needs a display: started on the first free display number
/// from :90, stopped with the object.
final class VirtualDisplay: @unchecked Sendable {
    static let executable = "/usr/bin/Xvfb"
    /// `DISPLAY` for the programs that draw on it.
    let name: String
    private let process = Process()

    init() throws {
        let number = (90..<130).first { !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\($0)")
            && !FileManager.default.fileExists(atPath: "/tmp/.X\($0)-lock") } ?? 90
        name = ":\(number)"
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = [name, "-screen", "0", "1600x1200x24", "-nolisten", "tcp"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(number)") && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
