import Foundation

/// A throwaway PostgreSQL server for tests: `initdb` in a temporary folder, started on a free port on 127.0.0.1 (as
/// the `postgres` user when the tests run as root, which PostgreSQL refuses to run as), removed when stopped. Needs
/// Debian's `postgresql` package (`scripts/install-deps.sh`); its programs are found on the PATH or under
/// `/usr/lib/postgresql/<version>/bin`.
package final class PostgresCluster: @unchecked Sendable {
    package let port: Int
    private let directory: URL
    private let binaries: URL
    private let asPostgres: Bool

    package init() throws {
        guard let binaries = Self.binaries() else {
            throw PostgresClusterError("initdb not found: install the postgresql package (scripts/install-deps.sh)")
        }
        self.binaries = binaries
        asPostgres = getuid() == 0
        directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("gw-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if asPostgres {
            try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: directory.path)
        }
        port = try Self.freePort()
        let data = directory.appendingPathComponent("data").path
        try run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"])
        try run("pg_ctl", ["-D", data, "-l", directory.appendingPathComponent("server.log").path, "-w", "-o",
                           "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off "
                           + "-c synchronous_commit=off -c full_page_writes=off -c max_connections=400", "start"])
        watchOver(data)
    }

    /// Stops the server and removes its folder once this process has ended, however it ended: a test process that is
    /// killed, or exits without running its clean-up, leaves no server behind. A shell of its own (bash: it closes descriptors above 9) polls for this
    /// process every second (holding none of its descriptors, so whoever reads this process's output is not kept
    /// waiting).
    private func watchOver(_ data: String) {
        let stop = (asPostgres ? "/usr/sbin/runuser -u postgres -- " : "")
            + "'\(binaries.appendingPathComponent("pg_ctl").path)' -D '\(data)' -m immediate -w stop"
        let script = "for fd in $(ls /proc/$$/fd); do [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done 2>/dev/null; "
            + "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(stop); rm -rf '\(directory.path)'"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let command: [String] = ["/bin/bash", "-c", script]
        var arguments = command.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        _ = posix_spawn(&pid, "/bin/bash", &actions, nil, &arguments, environ)
    }

    deinit { stop() }

    /// The connection string of database `name` (`postgres` exists from the start).
    package func connectionString(database name: String = "postgres") -> String {
        "host=127.0.0.1 port=\(port) user=postgres dbname=\(name) connect_timeout=5"
    }

    /// A new empty database; its connection string.
    package func createDatabase(_ name: String) throws -> String {
        try run("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", name])
        return connectionString(database: name)
    }

    package func stop() {
        guard FileManager.default.fileExists(atPath: directory.path) else { return }
        try? run("pg_ctl", ["-D", directory.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs one of PostgreSQL's programs to its end, its output in a file of the folder. Spawned and waited for
    /// directly: the server `pg_ctl start` leaves behind inherits the child's descriptors, and a waiter that watches
    /// those (Foundation's `Process`) would wait for the server to end.
    private func run(_ program: String, _ arguments: [String]) throws {
        let path = binaries.appendingPathComponent(program).path
        let command = asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", path] + arguments : [path] + arguments
        let log = directory.appendingPathComponent("\(program).out").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var arguments = command.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, &arguments, environ)
        guard spawned == 0 else { throw PostgresClusterError("\(program) could not start (\(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw PostgresClusterError("\(program) failed (\(status)): \(text.suffix(2_000))")
        }
    }

    /// The folder holding initdb: beside the one on the PATH, or Debian's newest version.
    private static func binaries() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("initdb")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate.resolvingSymlinksInPath().deletingLastPathComponent()
            }
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.compactMap(Int.init).sorted().last.map {
            URL(fileURLWithPath: "/usr/lib/postgresql/\($0)/bin")
        }
    }

    private static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw PostgresClusterError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

package struct PostgresClusterError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}
